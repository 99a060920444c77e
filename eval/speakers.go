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
	Right      bool // Guess is the reader's speaker (SameSpeaker); for a "-" row, no guess
	Features   string
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
				res.Features = q.Attr("speaker_features")
			}
		}
		res.Found = 2*best >= r.End-r.Start && r.End > r.Start
		if !res.Found {
			res.Name, res.Guess, res.Confidence, res.Features = "", "", 0, ""
		}
		res.Right = SameSpeaker(r.Speaker, res.Guess)
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

// nameWords are the words of a speaker's name that identify it: lower-cased, without titles and
// articles; of a possessive phrase only what follows the possessive ("Andrew Fisher's mother" is
// "mother", not Andrew Fisher), and a final possessive dropped ("Mr Blair's" is "blair").
func nameWords(s string) []string {
	var out []string
	fields := strings.Fields(strings.ToLower(s))
	for i, w := range fields {
		w = strings.Trim(w, ".,\"“”")
		if base, ok := cutPossessive(w); ok {
			if i < len(fields)-1 {
				out = out[:0] // the possessor: the name is what it owns
				continue
			}
			w = base
		}
		w = strings.Trim(w, "'’")
		switch w {
		case "", "the", "a", "an", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "lord", "lady", "dame":
			continue
		}
		out = append(out, w)
	}
	return out
}

func cutPossessive(w string) (string, bool) {
	for _, suf := range []string{"'s", "’s", "s'", "s’"} {
		if b, ok := strings.CutSuffix(w, suf); ok && b != "" {
			return b, true
		}
	}
	return w, false
}

// SameSpeaker reports whether a predicted speaker name is the reader's: the words of one are all
// words of the other ("Blair" is "Tony Blair"; "Yukos" is "a Yukos spokesman"), or both are nobody
// ("-" and no name).
func SameSpeaker(gold, pred string) bool {
	if gold == "-" || pred == "" {
		return gold == "-" && pred == ""
	}
	g, p := nameWords(gold), nameWords(pred)
	if len(g) == 0 || len(p) == 0 {
		return false
	}
	if len(g) > len(p) {
		g, p = p, g
	}
	in := map[string]bool{}
	for _, w := range p {
		in[w] = true
	}
	for _, w := range g {
		if !in[w] {
			return false
		}
	}
	return true
}
