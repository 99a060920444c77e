package tokenize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
)

// show renders tokens as "text/label" joined by spaces, quote pairs with their ID.
func show(text string, toks []newsgraph.Span) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = text[t.Start:t.End] + "/" + t.Label + t.ID
	}
	return strings.Join(parts, " ")
}

func tokenizeAll(text string) []newsgraph.Span {
	toks := Append(nil, text, 0, len(text))
	Pair(text, toks, []newsgraph.Span{{Start: 0, End: len(text)}})
	return toks
}

func TestTokenize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"words", "Mullah Omar wrote", "Mullah/word Omar/word wrote/word"},
		{"titles", "Gen. Smith met Sen. Jones and Mr. Lee", "Gen./abbr Smith/word met/word Sen./abbr Jones/word and/word Mr./abbr Lee/word"},
		{"dotted", "the U.S. and U.N. at 9 a.m. today", "the/word U.S./abbr and/word U.N./abbr at/word 9/num a.m./abbr today/word"},
		{"company", "Acme Inc. said", "Acme/word Inc./abbr said/word"},
		{"month", "on Jan. 5", "on/word Jan./abbr 5/num"},
		{"number abbrev", "No. 5 and no. 6 but said no.", "No./abbr 5/num and/word no./abbr 6/num but/word said/word no/word ./punct"},
		{"initials", "Jonas E. Smith", "Jonas/word E./abbr Smith/word"},
		{"numbers", "3.5% of $1.2bn on 9/11 for 1,000 people at 10:30", "3.5%/num of/word $1.2bn/num on/word 9/11/num for/word 1,000/num people/word at/word 10:30/num"},
		{"currency multibyte", "£5m and €3.2 and −4", "£5m/num and/word €3.2/num and/word −4/num"},
		{"sentence period", "It ended.", "It/word ended/word ./punct"},
		{"number period", "She has $100.00.", "She/word has/word $100.00/num ./punct"},
		{"clitics", "isn't we're Taliban's it’s", "is/word n't/word we/word 're/word Taliban/word 's/word it/word ’s/word"},
		{"curly quotes", "a “legitimate” way", "a/word “/quote-openq1 legitimate/word ”/quote-closeq1 way/word"},
		{"straight quotes", `he said "stop," then`, `he/word said/word "/quote-openq1 stop/word ,/punct "/quote-closeq1 then/word`},
		{"nested", `“He said ‘no’ twice”`, "“/quote-openq2 He/word said/word ‘/quote-openq1 no/word ’/quote-closeq1 twice/word ”/quote-closeq2"},
		{"apostrophes", "the teams’ coach in the ’90s", "the/word teams/word ’/apostrophe coach/word in/word the/word ’/apostrophe 90s/num"},
		{"spaced ellipsis", "We have . . . directed", "We/word have/word . . ./ellipsis directed/word"},
		{"ellipses", "mean...see … then…", "mean/word .../ellipsis see/word …/ellipsis then/word …/ellipsis"},
		{"period then ellipsis", "compounds. . . . The", "compounds/word ./punct . . ./ellipsis The/word"},
		{"em dash", "yes—no — maybe -- fine", "yes/word —/dash no/word —/dash maybe/word --/dash fine/word"},
		{"en dash", "1990–2000 and east–west", "1990–2000/num and/word east/word –/dash west/word"},
		{"hyphen", "face-to-face al-Baghdadi", "face-to-face/word al-Baghdadi/word"},
		{"url", "See https://example.com/a_b?x=1. Next", "See/word https://example.com/a_b?x=1/url ./punct Next/word"},
		{"url with parentheses", "(https://en.wikipedia.org/wiki/Mercury_(planet)).", "(/punct https://en.wikipedia.org/wiki/Mercury_(planet)/url )/punct ./punct"},
		{"url parens", "(see www.bbc.co.uk/news)", "(/punct see/word www.bbc.co.uk/news/url )/punct"},
		{"email", "Mail Jane.Doe@example.com.", "Mail/word Jane.Doe@example.com/email ./punct"},
		{"social", "@BBCWorld #Afghanistan", "@BBCWorld/handle #Afghanistan/hashtag"},
		{"brackets", "(He left.) [sic]", "(/punct He/word left/word ./punct )/punct [/punct sic/word ]/punct"},
		{"glued sentence", "the end.The next", "the/word end/word ./punct The/word next/word"},
		{"glued comma", "said,and", "said/word ,/punct and/word"},
		{"double punct", "Hello!? Yes", "Hello/word !/punct ?/punct Yes/word"},
		{"bullet", "• 9. First", "•/bullet 9/num ./punct First/word"},
		{"nbsp and zero width", "Mullah\u00a0Omar \u200bwrote\u200d", "Mullah/word Omar/word wrote/word"},
		{"soft hyphen inside", "Tali\u00adban", "Tali\u00adban/word"},
		{"cjk emoji", "北京 said 👍🏽 ok", "北京/word said/word 👍🏽/symbol ok/word"},
		{"accented", "José Ramos-Horta’s café", "José/word Ramos-Horta/word ’s/word café/word"},
		{"crlf", "one\r\ntwo", "one/word two/word"},
		{"multi paragraph quote", "“First part.\n\n“Second part.”", "“/quote-openq1 First/word part/word ./punct “/quote-openq1 Second/word part/word ./punct ”/quote-closeq1"},
		{"unpaired", `he said "stop`, `he/word said/word "/quote stop/word`},
		{"lost paragraph breaks", `said: "No. "Yes." Then`, `said/word :/punct "/quote-openq1 No/word ./punct "/quote-openq1 Yes/word ./punct "/quote-closeq1 Then/word`},
		{"two quotations", `"No," he said. "Yes."`, `"/quote-openq1 No/word ,/punct "/quote-closeq1 he/word said/word ./punct "/quote-openq2 Yes/word ./punct "/quote-closeq2`},
		{"unclosed before a new sentence", `he said "stop. Then "go."`, `he/word said/word "/quote stop/word ./punct Then/word "/quote-openq1 go/word ./punct "/quote-closeq1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var toks []newsgraph.Span
			if tt.name == "multi paragraph quote" {
				i := strings.Index(tt.in, "\n\n")
				paras := []newsgraph.Span{{Start: 0, End: i}, {Start: i + 2, End: len(tt.in)}}
				toks = Append(nil, tt.in, 0, i)
				toks = Append(toks, tt.in, i+2, len(tt.in))
				Pair(tt.in, toks, paras)
			} else {
				toks = tokenizeAll(tt.in)
			}
			if got := show(tt.in, toks); got != tt.want {
				t.Errorf("\n got: %s\nwant: %s", got, tt.want)
			}
			if err := checkTokens(tt.in, toks); err != "" {
				t.Error(err)
			}
		})
	}
}

// TestOffsets pins exact byte offsets in multi-byte text.
func TestOffsets(t *testing.T) {
	text := "“Ça va,” dit-il — 北京."
	toks := tokenizeAll(text)
	want := []newsgraph.Span{
		{Start: 0, End: 3, Label: QuoteOpen, ID: "q1"},
		{Start: 3, End: 6, Label: Word},
		{Start: 7, End: 9, Label: Word},
		{Start: 9, End: 10, Label: Punct},
		{Start: 10, End: 13, Label: QuoteClose, ID: "q1"},
		{Start: 14, End: 20, Label: Word},
		{Start: 21, End: 24, Label: Dash},
		{Start: 25, End: 31, Label: Word},
		{Start: 31, End: 32, Label: Punct},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens %s", len(toks), show(text, toks))
	}
	for i := range want {
		if !reflect.DeepEqual(toks[i], want[i]) {
			t.Errorf("token %d: got %+v %q, want %+v %q", i, toks[i], text[toks[i].Start:toks[i].End], want[i], text[want[i].Start:want[i].End])
		}
	}
}

func TestAbbrev(t *testing.T) {
	tests := []struct {
		word      string
		nextDigit bool
		want      AbbrevKind
	}{
		{"Mr.", false, AbbrevTitle},
		{"GEN.", false, AbbrevTitle},
		{"gen.", false, NotAbbrev}, // cap-only: "gen." is a word
		{"U.S.", false, AbbrevGeneral},
		{"a.m.", false, AbbrevGeneral},
		{"Inc.", false, AbbrevGeneral},
		{"No.", true, AbbrevNumber},
		{"No.", false, NotAbbrev},
		{"E.", false, AbbrevInitial},
		{"É.", false, AbbrevInitial},
		{"said.", false, NotAbbrev},
		{".", false, NotAbbrev},
		{"Mr", false, NotAbbrev},
	}
	for _, tt := range tests {
		if got := Abbrev(tt.word, tt.nextDigit); got != tt.want {
			t.Errorf("Abbrev(%q, %v) = %v, want %v", tt.word, tt.nextDigit, got, tt.want)
		}
	}
}

func TestAbbrevData(t *testing.T) {
	if _, err := parseAbbrevs(abbrevData); err != nil {
		t.Fatal(err)
	}
	if _, err := parseAbbrevs("title\tmr\n"); err == nil {
		t.Error("a line with two fields was accepted")
	}
	if _, err := parseAbbrevs("rank\tmr\tany\n"); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

// checkTokens verifies the span invariants: in bounds, on UTF-8 boundaries, sorted,
// non-overlapping, non-empty, and no token starting or ending in white space.
func checkTokens(text string, toks []newsgraph.Span) string {
	if err := newsgraph.CheckSpans(text, toks); err != nil {
		return err.Error()
	}
	for i, t := range toks {
		if t.Start >= t.End {
			return "empty token"
		}
		if i > 0 && toks[i-1].End > t.Start {
			return "overlapping tokens"
		}
		s := text[t.Start:t.End]
		r, _ := firstRune(s)
		l, _ := lastRune(s)
		if isSpace(r) || isSpace(l) || isIgnorable(r) || isIgnorable(l) {
			return "token with white space at an edge: " + s
		}
		if t.Label == "" {
			return "token without a label: " + s
		}
	}
	return ""
}

// TestPairDepth: quotations nest MaxQuoteDepth deep at most; marks nested deeper pair with nothing,
// and the quotations around them and after them pair as before.
func TestPairDepth(t *testing.T) {
	for _, depth := range []int{MaxQuoteDepth, MaxQuoteDepth + 1, 20, MaxParagraphQuotes} {
		var b strings.Builder
		b.WriteString("He said ")
		for i := 0; i < depth; i++ {
			b.WriteString("“‘"[3*(i%2) : 3*(i%2)+3])
		}
		b.WriteString("talks")
		for i := depth - 1; i >= 0; i-- {
			b.WriteString("”’"[3*(i%2) : 3*(i%2)+3])
		}
		b.WriteString(" and then “yes” twice.")
		text := b.String()
		toks := Append(nil, text, 0, len(text))
		bad := Pair(text, toks, []newsgraph.Span{{Start: 0, End: len(text)}})
		pairs, unpaired := 0, 0
		for _, tk := range toks {
			switch tk.Label {
			case QuoteOpen:
				pairs++
			case Quote:
				unpaired++
			}
		}
		wantPairs := min(depth, MaxQuoteDepth) + 1
		if pairs != wantPairs || unpaired != 2*(depth-min(depth, MaxQuoteDepth)) || len(bad) != unpaired {
			t.Errorf("depth %d: %d pairs (want %d), %d unpaired, %d reported", depth, pairs, wantPairs, unpaired, len(bad))
		}
		// The outermost pair is still the first and the last mark.
		if o, c := toks[2], toks[2*depth+2]; o.Label != QuoteOpen || c.Label != QuoteClose || o.ID != c.ID {
			t.Errorf("depth %d: the outer marks are %s%s and %s%s", depth, o.Label, o.ID, c.Label, c.ID)
		}
		if err := checkTokens(text, toks); err != "" {
			t.Error(err)
		}
	}
}

// TestPairQuotesPerParagraph: a paragraph's first MaxParagraphQuotes quotations pair, the marks
// of the rest pair with nothing, apostrophes do not count, and the next paragraph starts afresh.
func TestPairQuotesPerParagraph(t *testing.T) {
	p1 := strings.Repeat(`ab.cd,"ef"-gh `, 2*MaxParagraphQuotes) // twice the quotations allowed
	p2 := strings.Repeat("the teams’ players’ coaches’ ", 100) + `He said "yes" twice.`
	text := p1 + "\n\n" + p2
	toks := Append(nil, text, 0, len(p1))
	toks = Append(toks, text, len(p1)+2, len(text))
	bad := Pair(text, toks, []newsgraph.Span{{Start: 0, End: len(p1)}, {Start: len(p1) + 2, End: len(text)}})
	count := map[string]int{}
	for _, tk := range toks {
		count[tk.Label]++
	}
	if count[QuoteOpen] != MaxParagraphQuotes+1 || count[Quote] != 2*MaxParagraphQuotes || len(bad) != 2*MaxParagraphQuotes || count[Apostrophe] != 300 {
		t.Errorf("%d pairs, %d unpaired, %d reported, %d apostrophes", count[QuoteOpen], count[Quote], len(bad), count[Apostrophe])
	}
	if last := toks[len(toks)-3]; last.Label != QuoteClose {
		t.Errorf("the next paragraph's quotation is not paired: %s", show(text, toks[len(toks)-7:]))
	}
}
