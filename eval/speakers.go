package eval

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/source"
)

// SpeakerRow is one quotation of a speaker set (attrib/testdata/speakers*.tsv; docs/eval.md): the
// article it is in, the code-point range of its words and their text, and who says them as a
// careful reader of the article gives it: the fullest name the article gives, a description where
// it names nobody, "-" for words that are nobody's (a title, a term, a scare quote) and "?" where a
// reader cannot tell (left out of the scores).
type SpeakerRow struct {
	File       string // "business/135.txt" (a BBC corpus file) or "pages/<12 hex>" (an article-extraction page)
	Start, End int    // code points into the article's text
	Text       string
	Speaker    string
	How        string // same (named in the quotation's sentence), context (found elsewhere), none
}

// ReadSpeakerSet reads a speaker set: tab-separated, a header line, then file, start, end,
// quotation, speaker, how.
func ReadSpeakerSet(path string) ([]SpeakerRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = 6
	var rows []SpeakerRow
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if line == 1 {
			continue // the header
		}
		start, err1 := strconv.Atoi(rec[1])
		end, err2 := strconv.Atoi(rec[2])
		if err1 != nil || err2 != nil || start < 0 || end < start {
			return nil, fmt.Errorf("%s line %d: bad offsets %q %q", path, line, rec[1], rec[2])
		}
		rows = append(rows, SpeakerRow{File: rec[0], Start: start, End: end, Text: rec[3], Speaker: rec[4], How: rec[5]})
	}
	return rows, nil
}

// SpeakerData says where the articles of the speaker sets are.
type SpeakerData struct {
	BBC   string // the BBC corpus (news-text/bbc): rows "business/135.txt"
	Pages string // the article-extraction benchmark (its ground-truth.json): rows "pages/<12 hex>"
}

// SpeakerResult is what the pipeline gave one row: the quotation of the quotes layer that holds at
// least half of it (Found), the speaker named there (Name, empty below the confidence threshold)
// and the speaker it would have named (Guess, with its Confidence).
type SpeakerResult struct {
	Row        SpeakerRow
	Found      bool
	Name       string
	Guess      string
	Confidence float64
	Right      bool // Guess is the reader's speaker (attrib.SameSpeaker); for a "-" row, no guess
}

// SpeakerScore is a speaker set scored.
type SpeakerScore struct {
	Results []SpeakerResult
}

// Analyze runs a pipeline over the articles of the rows (each once) and returns them by file.
func Analyze(ctx context.Context, p *newsgraph.Pipeline, data SpeakerData, rows []SpeakerRow) (map[string]*newsgraph.Doc, error) {
	docs := map[string]*newsgraph.Doc{}
	var truth map[string]struct {
		Body string `json:"articleBody"`
		URL  string `json:"url"`
	}
	for _, r := range rows {
		if docs[r.File] != nil {
			continue
		}
		var d *newsgraph.Doc
		if id, ok := strings.CutPrefix(r.File, "pages/"); ok {
			if truth == nil {
				if data.Pages == "" {
					return nil, fmt.Errorf("%s: no article-extraction data given", r.File)
				}
				b, err := os.ReadFile(filepath.Join(data.Pages, "ground-truth.json"))
				if err != nil {
					return nil, err
				}
				if err := json.Unmarshal(b, &truth); err != nil {
					return nil, fmt.Errorf("%s: %w", data.Pages, err)
				}
			}
			var keys []string
			for k := range truth {
				if strings.HasPrefix(k, id) {
					keys = append(keys, k)
				}
			}
			if len(keys) != 1 {
				return nil, fmt.Errorf("%s: %d pages of the benchmark have this id", r.File, len(keys))
			}
			page := truth[keys[0]]
			d = newsgraph.NewDoc(page.Body, newsgraph.Meta{URL: page.URL, Input: newsgraph.Input{Path: r.File}})
		} else {
			if data.BBC == "" {
				return nil, fmt.Errorf("%s: no BBC corpus given", r.File)
			}
			err := source.Read(ctx, []string{filepath.Join(data.BBC, r.File)}, source.Options{}, func(it source.Item) error {
				if it.Err != nil {
					return it.Err
				}
				d = newsgraph.NewDoc(it.Text, it.Meta)
				return nil
			})
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, fmt.Errorf("%s: no document read", r.File)
			}
		}
		if err := p.Process(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", r.File, err)
		}
		docs[r.File] = d
	}
	return docs, nil
}

// ScoreSpeakers matches each row to the quotation of the quotes layer that holds most of it (at
// least half: rows keep fitting when quotations are split or joined differently) and reads its
// speaker.
func ScoreSpeakers(docs map[string]*newsgraph.Doc, rows []SpeakerRow) (*SpeakerScore, error) {
	s := &SpeakerScore{}
	offsets := map[string]*newsgraph.OffsetMap{}
	for _, r := range rows {
		d := docs[r.File]
		if d == nil {
			return nil, fmt.Errorf("%s: not analysed", r.File)
		}
		if r.Speaker == "?" {
			continue
		}
		offs := offsets[r.File]
		if offs == nil {
			offs = newsgraph.NewOffsetMap(d.Text())
			offsets[r.File] = offs
		}
		res := SpeakerResult{Row: r}
		best := 0
		for _, q := range d.Layer(newsgraph.LayerQuotes) {
			a, b := max(offs.CodePoint(q.Start), r.Start), min(offs.CodePoint(q.End), r.End)
			if b-a > best {
				best = b - a
				res.Name, res.Guess = q.Attr("speaker_name"), q.Attr("speaker_guess")
				if res.Guess == "" {
					res.Guess = res.Name
				}
				res.Confidence, _ = strconv.ParseFloat(q.Attr("speaker_confidence"), 64)
			}
		}
		res.Found = 2*best >= r.End-r.Start && r.End > r.Start
		if !res.Found {
			res.Name, res.Guess, res.Confidence = "", "", 0
		}
		res.Right = attrib.SameSpeaker(r.Speaker, res.Guess)
		s.Results = append(s.Results, res)
	}
	return s, nil
}

// PR is precision and recall of the speakers named at a confidence threshold.
type PR struct {
	Threshold float64
	Speech    int // rows that are someone's words
	Nobody    int // rows that are nobody's words ("-")
	Named     int // rows given a speaker (of either kind)
	Right     int // rows of speech given their speaker
	Missed    int // rows of speech the quotes layer has no quotation for
}

// P is the share of named speakers that are right: a speaker named for nobody's words is wrong.
func (p PR) P() float64 { return ratio(p.Right, p.Named) }

// R is the share of the quotations of speech given their speaker.
func (p PR) R() float64 { return ratio(p.Right, p.Speech) }

// At scores the speakers a threshold keeps (the guesses whose confidence reaches it): t < 0 scores
// the speakers the pipeline named (speaker_name), whatever its threshold.
func (s *SpeakerScore) At(t float64) PR {
	p := PR{Threshold: t}
	for _, r := range s.Results {
		named := r.Name != ""
		if t >= 0 {
			named = r.Guess != "" && r.Confidence >= t
		}
		if r.Row.Speaker == "-" {
			p.Nobody++
		} else {
			p.Speech++
			if !r.Found {
				p.Missed++
			}
		}
		if named {
			p.Named++
			if r.Right && r.Row.Speaker != "-" {
				p.Right++
			}
		}
	}
	return p
}

// Bin is a row of a calibration table: the guesses whose confidence is in [Lo, Hi) and how many of
// them are right.
type Bin struct {
	Lo, Hi       float64
	Guesses      int
	Right        int
	Confidence   float64 // their mean confidence
	RightByWhole float64 // Right / Guesses
}

// Calibration returns the guesses (rows given a speaker at any confidence) binned by confidence at
// the given edges (ascending, the first 0, the last above 1).
func (s *SpeakerScore) Calibration(edges []float64) []Bin {
	if len(edges) < 2 {
		return nil
	}
	bins := make([]Bin, len(edges)-1)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = edges[i], edges[i+1]
	}
	for _, r := range s.Results {
		if r.Guess == "" {
			continue
		}
		i := sort.SearchFloat64s(edges, r.Confidence)
		if i < len(edges) && edges[i] == r.Confidence {
			i++
		}
		i--
		if i < 0 || i >= len(bins) {
			continue
		}
		bins[i].Guesses++
		bins[i].Confidence += r.Confidence
		if r.Right && r.Row.Speaker != "-" {
			bins[i].Right++
		}
	}
	for i := range bins {
		if bins[i].Guesses > 0 {
			bins[i].Confidence /= float64(bins[i].Guesses)
			bins[i].RightByWhole = float64(bins[i].Right) / float64(bins[i].Guesses)
		}
	}
	return bins
}

// RankerExamples analyses the rows' articles (with p, a pipeline up to entities at least) and
// returns the ranker's units the rows give, their candidates labelled (attrib.SpeakerExamples).
func RankerExamples(ctx context.Context, p *newsgraph.Pipeline, m *attrib.Model, data SpeakerData, rows []SpeakerRow) ([]attrib.SpeakerExample, error) {
	docs, err := Analyze(ctx, p, data, rows)
	if err != nil {
		return nil, err
	}
	byFile := map[string][]SpeakerRow{}
	var files []string
	for _, r := range rows {
		if r.Speaker == "?" {
			continue
		}
		if byFile[r.File] == nil {
			files = append(files, r.File)
		}
		byFile[r.File] = append(byFile[r.File], r)
	}
	var out []attrib.SpeakerExample
	for _, f := range files {
		d := docs[f]
		at := byteOffsets(d.Text())
		var gold []attrib.GoldQuote
		for _, r := range byFile[f] {
			if r.End >= len(at) {
				return nil, fmt.Errorf("%s: %d-%d is past the end of the text", f, r.Start, r.End)
			}
			gold = append(gold, attrib.GoldQuote{Start: at[r.Start], End: at[r.End], Speaker: r.Speaker})
		}
		exs := m.SpeakerExamples(d, gold)
		for i := range exs {
			exs[i].Group = f
		}
		out = append(out, exs...)
	}
	return out, nil
}

// RankedUnit is a unit's outcome under a ranker: whether its speaker is someone's (Speech),
// the probability of its best guess that names someone, whether that guess wins over "nobody"
// and whether it is right.
type RankedUnit struct {
	Speech     bool
	Confidence float64
	Right      bool
	Guess      string // the guess's name
	FromRule   bool   // the guess is the resolver's speaker
	How        string // how the resolver read its speaker
}

// Rank returns the outcome of each example under a ranker.
func Rank(rk *attrib.Ranker, exs []attrib.SpeakerExample) []RankedUnit {
	out := make([]RankedUnit, len(exs))
	for i, ex := range exs {
		g, p, fromRule := rk.Choose(ex)
		u := RankedUnit{Speech: !ex.Nobody, FromRule: fromRule, How: ex.How}
		if g >= 0 {
			u.Confidence, u.Right, u.Guess = rk.Calibrate(p, fromRule), ex.Right[g] && !ex.Nobody, ex.Names[g]
		}
		out[i] = u
	}
	return out
}

// CrossValidateRanker trains a ranker on all folds but one and ranks that one's examples, for
// each of k folds (by document: the documents sorted by name and dealt round the folds); it
// returns every example's outcome.
func CrossValidateRanker(exs []attrib.SpeakerExample, k, epochs int, l2 float64) []RankedUnit {
	var groups []string
	seen := map[string]bool{}
	for _, ex := range exs {
		if !seen[ex.Group] {
			seen[ex.Group] = true
			groups = append(groups, ex.Group)
		}
	}
	sort.Strings(groups)
	fold := map[string]int{}
	for i, g := range groups {
		fold[g] = i % k
	}
	out := make([]RankedUnit, len(exs))
	for f := 0; f < k; f++ {
		var train, test []attrib.SpeakerExample
		var at []int
		for i, ex := range exs {
			if fold[ex.Group] == f {
				test = append(test, ex)
				at = append(at, i)
			} else {
				train = append(train, ex)
			}
		}
		if len(test) == 0 || len(train) == 0 {
			continue
		}
		rk := attrib.TrainRanker(train, epochs, l2)
		for j, u := range Rank(rk, test) {
			out[at[j]] = u
		}
	}
	return out
}

// UnitPR scores ranked units at a confidence threshold as SpeakerScore.At scores rows.
func UnitPR(us []RankedUnit, t float64) PR {
	p := PR{Threshold: t}
	for _, u := range us {
		if u.Speech {
			p.Speech++
		} else {
			p.Nobody++
		}
		if u.Guess != "" && u.Confidence >= t {
			p.Named++
			if u.Right {
				p.Right++
			}
		}
	}
	return p
}

// UnitCalibration bins ranked units' guesses by confidence, as SpeakerScore.Calibration does.
func UnitCalibration(us []RankedUnit, edges []float64) []Bin {
	s := &SpeakerScore{}
	for _, u := range us {
		r := SpeakerResult{Confidence: u.Confidence, Right: u.Right, Row: SpeakerRow{Speaker: "x"}}
		if u.Confidence > 0 {
			r.Guess = "x"
		}
		if !u.Speech {
			r.Row.Speaker = "-"
		}
		s.Results = append(s.Results, r)
	}
	return s.Calibration(edges)
}

// byteOffsets returns the byte offset of each code point of text, and of its end.
func byteOffsets(text string) []int {
	var at []int
	for i := range text {
		at = append(at, i)
	}
	return append(at, len(text))
}

// CalibrateUnits fits a Platt calibration (attrib.FitPlatt) to ranked units' guesses, one for the
// ranker's choices and one for the resolver's speakers, and returns them with the units'
// confidences calibrated.
func CalibrateUnits(us []RankedUnit) (cal [2][2]float64, out []RankedUnit) {
	for part := 0; part < 2; part++ {
		var ps []float64
		var right []bool
		for _, u := range us {
			if u.Guess != "" && u.FromRule == (part == 1) {
				ps = append(ps, u.Confidence)
				right = append(right, u.Right)
			}
		}
		cal[part][0], cal[part][1] = attrib.FitPlatt(ps, right)
	}
	rk := &attrib.Ranker{Cal: cal}
	out = make([]RankedUnit, len(us))
	for i, u := range us {
		if u.Guess != "" {
			u.Confidence = rk.Calibrate(u.Confidence, u.FromRule)
		}
		out[i] = u
	}
	return cal, out
}

// ChooseThreshold returns the smallest threshold among 0.30, 0.35, …, 0.95 at which the units'
// named speakers are right at least minP of the time (the highest precision if none reaches it),
// and the score there.
func ChooseThreshold(us []RankedUnit, minP float64) (float64, PR) {
	var best PR
	for i := 6; i <= 19; i++ {
		p := UnitPR(us, float64(i)/20)
		if p.P() >= minP {
			return p.Threshold, p
		}
		if i == 6 || p.P() > best.P() {
			best = p
		}
	}
	return best.Threshold, best
}

// F is the F-beta score of precision and recall.
func (p PR) F(beta float64) float64 {
	pr, r := p.P(), p.R()
	if pr+r == 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * pr * r / (b2*pr + r)
}

// HowRight returns, for each way the resolver reads a speaker, how often its speaker was right
// among the units: (right + 1) / (units + 2); "*" for all of them.
func HowRight(us []RankedUnit) map[string]float64 {
	n, right := map[string]int{}, map[string]int{}
	for _, u := range us {
		if u.FromRule && u.How != "" {
			for _, h := range []string{u.How, "*"} {
				n[h]++
				if u.Right {
					right[h]++
				}
			}
		}
	}
	out := map[string]float64{}
	for h, k := range n {
		out[h] = float64(right[h]+1) / float64(k+2)
	}
	return out
}
