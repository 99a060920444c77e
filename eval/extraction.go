package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph/source"
)

// Extraction is the score of an article extractor on the article-extraction benchmark (Zyte's
// article-extraction-benchmark metric, docs/eval.md): precision and recall of 4-token shingles,
// each the mean over pages of a per-page ratio, F1 from the two means, exact-match accuracy, and
// bootstrap standard deviations.
type Extraction struct {
	Pages               int
	P, R, F1, Accuracy  float64
	PStd, RStd, F1Std   float64 // bootstrap standard deviations (1,000 resamples of pages)
	Failed              int     // pages the extractor gave no text for (scored as empty)
	PerPage             []PageScore
	Errors              []string // per page: why no text came out
	precisions, recalls []float64
	hasP, hasR          []bool
}

// PageScore is one page's shingle counts, normalised so that they sum to 1.
type PageScore struct {
	ID         string
	TP, FP, FN float64
	Exact      bool
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}_]+`) // Python's Unicode \w+

// shingles counts the 4-token shingles of text; a text of fewer than 4 tokens is one shorter
// shingle, an empty one has none.
func shingles(tokens []string) map[string]int {
	out := map[string]int{}
	if len(tokens) == 0 {
		return out
	}
	if len(tokens) < 4 {
		out[strings.Join(tokens, "\x00")]++
		return out
	}
	for i := 0; i+4 <= len(tokens); i++ {
		out[strings.Join(tokens[i:i+4], "\x00")]++
	}
	return out
}

// ScorePage scores one extracted text against the true one.
func ScorePage(id, truth, pred string) PageScore {
	tt, pt := wordRE.FindAllString(truth, -1), wordRE.FindAllString(pred, -1)
	ts, ps := shingles(tt), shingles(pt)
	var tp, fp, fn float64
	for k, n := range ps {
		m := ts[k]
		tp += float64(min(n, m))
		fp += float64(max(0, n-m))
	}
	for k, m := range ts {
		fn += float64(max(0, m-ps[k]))
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	return PageScore{ID: id, TP: tp, FP: fp, FN: fn, Exact: slices.Equal(tt, pt)}
}

// pr is a page's precision and recall, and whether each counts towards the mean.
func (s PageScore) pr() (p, r float64, hasP, hasR bool) {
	if s.FP == 0 && s.FN == 0 {
		return 1, 1, true, true
	}
	if s.TP+s.FP > 0 {
		p, hasP = s.TP/(s.TP+s.FP), true
	}
	if s.TP+s.FN > 0 {
		r, hasR = s.TP/(s.TP+s.FN), true
	}
	return
}

// ScoreExtraction scores predicted article texts against the true ones, page by page (ids of
// truth; a page missing from pred is scored as an empty text).
func ScoreExtraction(truth, pred map[string]string) *Extraction {
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	e := &Extraction{Pages: len(ids)}
	exact := 0
	for _, id := range ids {
		s := ScorePage(id, truth[id], pred[id])
		e.PerPage = append(e.PerPage, s)
		p, r, hp, hr := s.pr()
		e.precisions, e.recalls, e.hasP, e.hasR = append(e.precisions, p), append(e.recalls, r), append(e.hasP, hp), append(e.hasR, hr)
		if s.Exact {
			exact++
		}
	}
	all := make([]int, len(ids))
	for i := range all {
		all[i] = i
	}
	e.P, e.R, e.F1 = e.means(all)
	if len(ids) > 0 {
		e.Accuracy = float64(exact) / float64(len(ids))
	}
	// Bootstrap: 1,000 resamples of the pages, seeded so the figures repeat.
	rng := rand.New(rand.NewPCG(1, 2))
	var ps, rs, fs []float64
	sample := make([]int, len(ids))
	for b := 0; b < 1000 && len(ids) > 0; b++ {
		for i := range sample {
			sample[i] = rng.IntN(len(ids))
		}
		p, r, f := e.means(sample)
		ps, rs, fs = append(ps, p), append(rs, r), append(fs, f)
	}
	e.PStd, e.RStd, e.F1Std = std(ps), std(rs), std(fs)
	return e
}

func (e *Extraction) means(idx []int) (p, r, f float64) {
	var np, nr int
	for _, i := range idx {
		if e.hasP[i] {
			p += e.precisions[i]
			np++
		}
		if e.hasR[i] {
			r += e.recalls[i]
			nr++
		}
	}
	if np > 0 {
		p /= float64(np)
	}
	if nr > 0 {
		r /= float64(nr)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func std(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v / float64(len(xs)-1))
}

// ReadArticleBodies reads a benchmark JSON file of {"id": {"articleBody": "…"}}: the ground truth
// (ground-truth.json), or a system's output ({"output": {…}}, as in baselines-dev/).
func ReadArticleBodies(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type body struct {
		ArticleBody string `json:"articleBody"`
	}
	var wrapped struct {
		Output map[string]body `json:"output"`
	}
	var flat map[string]json.RawMessage
	if err := json.Unmarshal(b, &flat); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out := map[string]string{}
	if _, ok := flat["output"]; ok {
		if err := json.Unmarshal(b, &wrapped); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		for id, v := range wrapped.Output {
			out[id] = v.ArticleBody
		}
		return out, nil
	}
	for id, raw := range flat {
		var v body
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", path, id, err)
		}
		out[id] = v.ArticleBody
	}
	return out, nil
}

// ExtractionBenchmark runs newsgraph's HTML extraction (source.ExtractHTML) on the pages of an
// article-extraction benchmark directory (html/<id>.html.gz and ground-truth.json) and scores it.
// A page that cannot be read or gives no text is scored as empty and named in Errors.
func ExtractionBenchmark(dir string) (*Extraction, map[string]string, error) {
	return ExtractionBenchmarkWith(dir, source.DefaultExtraction)
}

// ExtractionBenchmarkWith is ExtractionBenchmark with an extraction setting.
func ExtractionBenchmarkWith(dir string, x source.Extraction) (*Extraction, map[string]string, error) {
	gtPath := filepath.Join(dir, "ground-truth.json")
	b, err := os.ReadFile(gtPath)
	if err != nil {
		return nil, nil, err
	}
	var truthAll map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(b, &truthAll); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", gtPath, err)
	}
	truth := map[string]string{}
	pred := map[string]string{}
	var errs []string
	for id, gt := range truthAll {
		body := gt.ArticleBody
		path := filepath.Join(dir, "html", id+".html.gz")
		raw, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue // the held-out half: its ground truth may be listed without its page
		}
		truth[id] = body
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		page, err := source.Gunzip(raw, source.DefaultMaxBytes*5)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		p, err := source.ExtractHTMLWith(page, gt.URL, "", x)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		pred[id] = p.Text
	}
	if len(truth) == 0 {
		return nil, nil, fmt.Errorf("%s: no pages (html/<id>.html.gz) with ground truth", dir)
	}
	e := ScoreExtraction(truth, pred)
	sort.Strings(errs)
	e.Errors, e.Failed = errs, len(errs)
	return e, pred, nil
}

// Half is the score of the pages of one half of the benchmark: ids in sorted order, dealt
// alternately (half 0: the first, third, …), as the two-fold check of the extraction settings
// reads them.
func (e *Extraction) Half(h int) (p, r, f float64) {
	var idx []int
	for i := range e.PerPage {
		if i%2 == h {
			idx = append(idx, i)
		}
	}
	return e.means(idx)
}
