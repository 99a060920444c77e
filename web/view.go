package web

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph"
)

// Palette is the number of speaker tints (classes s0 … s7 in style.css); speakers past it share.
const Palette = 8

// segment is a run of text under the same marks: the unit the article is drawn in.
type segment struct {
	Text    string
	Classes string // CSS classes: ent ent-PER, tx, q s3, q guess, cue, src
	Title   string // what a pointer shows: the entity's type, the speaker, the date's value
	Value   string // a temporal expression's value, shown after its last segment
	Href    string // a link, for a speaker's mention
}

// paragraph is one paragraph of the article.
type paragraph struct {
	Label    string // body, title, kicker, byline, boilerplate
	Segments []segment
}

// claim is one attribution (or quotation with a speaker from the context) in the speakers' panel.
type claim struct {
	ID         string
	Kind       string // direct, indirect, mixed, according-to, continuation, quotation
	Content    string
	Cue        string
	Chain      []string
	Guess      bool
	Confidence string // "0.94", or "" when none
	Resolved   string
	Via        string // the outlet it comes through
	Anchor     string // the element id of its first quotation in the text
}

// speaker is a speaker with the claims of the article given to them.
type speaker struct {
	Name   string
	Kind   string
	Tint   int
	Guess  bool // every claim of theirs is a guess
	Claims []claim
	Href   string
	Named  bool // a speaker or a guess: not the unnamed sources
}

// article is everything an article page shows.
type article struct {
	ID                                          int64
	Title, URL, Publisher, Date, Byline, Agency string
	Language                                    string
	Paragraphs                                  []paragraph
	Speakers                                    []speaker
	Unattributed                                []string // quotations no one is given for
	Entities                                    map[string][]string
	EntityTypes                                 []string
	Dates                                       []dateValue
	Diagnostics                                 []string
	Stored                                      bool
	TitleInText                                 bool // the text's first paragraph is the title: no heading above it
}

type dateValue struct{ Text, Type, Value string }

// entityNames are the CoNLL types as the page says them.
var entityNames = map[string]string{"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other name"}

// view turns an analysed document into what its page shows.
func view(d *newsgraph.Doc) *article {
	m := d.Meta
	a := &article{Title: m.Title, URL: m.URL, Publisher: m.Publisher, Date: m.Date, Byline: m.Byline, Agency: m.Agency, Language: m.Language,
		Entities: map[string][]string{}}
	text := d.Text()

	// The speakers, in the order they first speak, each with a tint.
	atts := d.Layer(newsgraph.LayerAttributions)
	byID := map[string]int{}
	for i, at := range atts {
		byID[at.ID] = i
	}
	roles := map[string]map[string][]newsgraph.Span{} // attribution -> role -> spans
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if roles[id] == nil {
			roles[id] = map[string][]newsgraph.Span{}
		}
		roles[id][r.Label] = append(roles[id][r.Label], r)
	}
	speakerAt := map[string]int{}
	tints := 0
	addSpeaker := func(name, kind string, guess bool) int {
		key := name
		if guess {
			key = "\x00" + name
		}
		if i, ok := speakerAt[key]; ok {
			return i
		}
		speakerAt[key] = len(a.Speakers)
		sp := speaker{Name: name, Kind: kind, Guess: guess, Named: name != ""}
		if name == "" {
			sp.Name = "Unnamed sources"
		} else {
			sp.Tint = tints % Palette // the unnamed sources take no tint
			tints++
		}
		switch kind {
		case "description", "pronoun", "anonymous", "document":
			// the source's own words ("officials", "the statement"): no one to follow
		default:
			if name != "" {
				sp.Href = SpeakerPath(name)
			}
		}
		a.Speakers = append(a.Speakers, sp)
		return len(a.Speakers) - 1
	}
	partsText := func(ps []newsgraph.Span) string {
		var out []string
		for _, p := range ps {
			out = append(out, text[p.Start:p.End])
		}
		return strings.Join(out, " … ")
	}
	attSpeaker := map[string]int{} // attribution -> speaker index
	for _, at := range atts {
		name, guess := at.Attr("speaker_name"), false
		if name == "" {
			name, guess = at.Attr("speaker_guess"), true
		}
		if name == "" {
			name, guess = "", false // neither a speaker nor a guess: the claim's source is unnamed
		}
		i := addSpeaker(name, at.Attr("speaker_kind"), guess)
		attSpeaker[at.ID] = i
		c := claim{ID: at.ID, Kind: at.Label, Content: clip(partsText(roles[at.ID]["content"]), 400), Cue: partsText(roles[at.ID]["cue"]),
			Guess: guess, Confidence: at.Attr("speaker_confidence"), Resolved: at.Attr("resolved"), Via: at.Attr("outlet")}
		if ch := at.Attr("chain"); ch != "" {
			c.Chain = strings.Split(ch, newsgraph.ChainSep)
		}
		a.Speakers[i].Claims = append(a.Speakers[i].Claims, c)
	}
	// Quotations: tinted by the speaker of their attribution, or their own (from the context).
	type quoteMark struct {
		span    newsgraph.Span
		classes string
		title   string
	}
	var quotes []quoteMark
	for _, q := range d.Layer(newsgraph.LayerQuotes) {
		qm := quoteMark{span: q, classes: "q qn", title: "quotation: no speaker found"}
		name, guess := q.Attr("speaker_name"), false
		if name == "" {
			name, guess = q.Attr("speaker_guess"), true
		}
		i, ok := attSpeaker[q.Attr("attribution")]
		if !ok && name != "" {
			i = addSpeaker(name, "", guess)
			a.Speakers[i].Claims = append(a.Speakers[i].Claims, claim{ID: q.ID, Kind: "quotation", Content: clip(text[q.Start:q.End], 400), Guess: guess,
				Confidence: q.Attr("speaker_confidence"), Resolved: "context", Anchor: "q-" + q.ID})
			ok = true
		}
		if ok {
			sp := a.Speakers[i]
			qm.classes = "q s" + strconv.Itoa(sp.Tint)
			qm.title = "quotation: " + sp.Name
			if !sp.Named {
				qm.classes = "q qn"
			} else if sp.Guess {
				qm.classes += " guess"
				qm.title += " (a guess)"
			}
			for k := range sp.Claims {
				if sp.Claims[k].ID == q.Attr("attribution") && sp.Claims[k].Anchor == "" {
					a.Speakers[i].Claims[k].Anchor = "q-" + q.ID
				}
			}
		} else {
			a.Unattributed = append(a.Unattributed, clip(text[q.Start:q.End], 300))
		}
		quotes = append(quotes, qm)
	}
	// A speaker is a guess only if every claim of theirs is.
	for i := range a.Speakers {
		all := len(a.Speakers[i].Claims) > 0
		for _, c := range a.Speakers[i].Claims {
			all = all && c.Guess
		}
		a.Speakers[i].Guess = all
	}

	// The marks over the text.
	var marks []mark
	seenEnt := map[string]bool{}
	for _, e := range d.Layer(newsgraph.LayerEntities) {
		t := entityNames[e.Label]
		if o := e.Attr("outlet"); o != "" {
			t += ", news outlet: " + o
		}
		marks = append(marks, mark{e.Start, e.End, "ent ent-" + e.Label, t, "", ""})
		name := text[e.Start:e.End]
		if k := e.Label + "\x00" + name; !seenEnt[k] {
			seenEnt[k] = true
			a.Entities[e.Label] = append(a.Entities[e.Label], name)
		}
	}
	for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
		if len(a.Entities[t]) > 0 {
			a.EntityTypes = append(a.EntityTypes, t)
		}
	}
	for _, t := range d.Layer(newsgraph.LayerTimexes) {
		v := t.Attr("value")
		marks = append(marks, mark{t.Start, t.End, "tx", strings.ToLower(t.Label) + ": " + v, v, ""})
		a.Dates = append(a.Dates, dateValue{Text: text[t.Start:t.End], Type: t.Label, Value: v})
	}
	for _, q := range quotes {
		marks = append(marks, mark{q.span.Start, q.span.End, q.classes, q.title, "", "q-" + q.span.ID})
	}
	for id, rs := range roles {
		for _, c := range rs["cue"] {
			marks = append(marks, mark{c.Start, c.End, "cue", "cue of " + id, "", ""})
		}
		for _, s := range rs["source"] {
			t := "source"
			if i, ok := attSpeaker[id]; ok {
				t += ": " + a.Speakers[i].Name
			}
			marks = append(marks, mark{s.Start, s.End, "src", t, "", ""})
		}
	}

	paras := d.Layer(newsgraph.LayerParagraphs)
	if len(paras) == 0 {
		paras = splitParagraphs(text)
	}
	for _, p := range paras {
		if p.Label == newsgraph.ParaTitle {
			a.TitleInText = true
		}
		a.Paragraphs = append(a.Paragraphs, paragraph{Label: p.Label, Segments: segments(text, p.Start, p.End, marks)})
	}
	for _, dg := range d.Diagnostics {
		a.Diagnostics = append(a.Diagnostics, fmt.Sprintf("%s (%s): %s", dg.Severity, dg.Component, dg.Message))
	}
	return a
}

// mark is a span drawn over the text.
type mark struct {
	start, end int
	classes    string
	title      string
	value      string // shown after the span
	id         string // an anchor at its start
}

// segments cuts [start, end) of the text at every mark's ends and gives each piece the marks
// that cover it. Marks that straddle the paragraph are clipped to it.
func segments(text string, start, end int, marks []mark) []segment {
	cuts := []int{start, end}
	var in []mark
	for _, m := range marks {
		if m.end <= start || m.start >= end {
			continue
		}
		in = append(in, mark{max(m.start, start), min(m.end, end), m.classes, m.title, m.value, m.id})
		cuts = append(cuts, max(m.start, start), min(m.end, end))
	}
	sort.Ints(cuts)
	var out []segment
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if a == b {
			continue
		}
		var s segment
		s.Text = text[a:b]
		var classes, titles []string
		for _, m := range in {
			if m.start <= a && m.end >= b {
				classes = append(classes, m.classes)
				titles = append(titles, m.title)
				if m.end == b && m.value != "" {
					s.Value = m.value
				}
				if m.start == a && m.id != "" {
					s.Href = m.id // the anchor
				}
			}
		}
		s.Classes = strings.Join(classes, " ")
		s.Title = strings.Join(titles, "; ")
		out = append(out, s)
	}
	return out
}

// splitParagraphs cuts a text without a paragraphs layer at its blank lines.
func splitParagraphs(text string) []newsgraph.Span {
	var out []newsgraph.Span
	at := 0
	for _, p := range strings.SplitAfter(text, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, newsgraph.Span{Start: at, End: at + len(strings.TrimRight(p, "\n")), Label: newsgraph.ParaBody})
		}
		at += len(p)
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
