package sentence_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/eval"
	"github.com/newsgraph/newsgraph/internal/testutil"
	"github.com/newsgraph/newsgraph/sentence"
	"github.com/newsgraph/newsgraph/tokenize"
)

func sentences(t *testing.T, text string) []string {
	t.Helper()
	p, err := engine.New()
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range d.Layer(newsgraph.LayerSentences) {
		out = append(out, d.SpanText(s))
	}
	return out
}

// Hard cases from news text; the sentences are separated by " | " in want.
func TestSplit(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"simple", "It rained. We left.", "It rained. | We left."},
		{"title abbreviations", "Gen. David Petraeus met Sen. John McCain. Mr. Lee left.", "Gen. David Petraeus met Sen. John McCain. | Mr. Lee left."},
		{"U.S. inside", "The U.S. Government said no.", "The U.S. Government said no."},
		{"U.S. at the end", "He lives in the U.S. The President disagrees.", "He lives in the U.S. | The President disagrees."},
		{"U.N. and number", "The U.N. said 1,000 people and 3.5% of $1.2bn were hit on 9/11.", "The U.N. said 1,000 people and 3.5% of $1.2bn were hit on 9/11."},
		{"a.m.", "It began at 9 a.m. Friday and ended at 5 p.m. It was long.", "It began at 9 a.m. Friday and ended at 5 p.m. | It was long."},
		{"No. and Jan.", "He is No. 1 in the polls since Jan. 5 this year.", "He is No. 1 in the polls since Jan. 5 this year."},
		{"company", "Acme Inc. rose. Shares of Acme Inc. Europe fell.", "Acme Inc. rose. | Shares of Acme Inc. Europe fell."},
		{"initials", "J. R. R. Tolkien wrote it. George W. Bush read it.", "J. R. R. Tolkien wrote it. | George W. Bush read it."},
		{"spaced ellipsis", "“We have . . . directed all our mujahideen,” Mullah Omar wrote.", "“We have . . . directed all our mujahideen,” Mullah Omar wrote."},
		{"quote then said", "“It is over,” he said. “We won.”", "“It is over,” he said. | “We won.”"},
		{"quote with period inside", "“It is over.” She left.", "“It is over.” | She left."},
		{"question inside quote", "“Why?” asked the spokesman. Nobody knew.", "“Why?” asked the spokesman. | Nobody knew."},
		{"short inline quote", `He said "All were taken to hospital. None are left." Then he left.`, `He said "All were taken to hospital. None are left." | Then he left.`},
		{"inline quote over a lost paragraph break", `He told the Mail: "Jens is a fantastic keeper. He deserves another chance. "He has made a few mistakes."`, `He told the Mail: "Jens is a fantastic keeper. He deserves another chance. | "He has made a few mistakes."`},
		{"em dash", "He left — quietly. She stayed.", "He left — quietly. | She stayed."},
		{"multibyte", "Ça va? Très bien. 北京 is big.", "Ça va? | Très bien. | 北京 is big."},
		{"hard line break", "The statement\nappears to be his endorsement. It was.", "The statement\nappears to be his endorsement. | It was."},
		{"url and email", "See https://bbc.co.uk/news. Mail a.b@c.com. Done.", "See https://bbc.co.uk/news. | Mail a.b@c.com. | Done."},
		{"brand", "He sold it. eBay bought it.", "He sold it. | eBay bought it."},
		{"paragraphs", "Headline here\n\nFirst sentence. Second one.", "Headline here | First sentence. | Second one."},
		{"symbol sentence", "Prices rose. €. The euro fell.", "Prices rose. | €. | The euro fell."},
		{"caption credit", "A robot demo Image: Nick Moreau. Next thing.", "A robot demo | Image: Nick Moreau. | Next thing."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(sentences(t, tt.in), " | ")
			if got != tt.want {
				t.Errorf("\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// TestExample checks the first example article: no break inside ". . ." or at the two hard line
// breaks, and the copyright footer is not a sentence.
func TestExample(t *testing.T) {
	b := readExample(t)
	sents := sentences(t, b)
	if len(sents) != 16 {
		t.Errorf("got %d sentences, want 16", len(sents))
	}
	var joined []string
	for _, s := range sents {
		joined = append(joined, s)
		if strings.Contains(s, "©") {
			t.Errorf("boilerplate in a sentence: %q", s)
		}
	}
	all := strings.Join(joined, "\n|")
	for _, whole := range []string{
		"“We have . . . directed all our mujahideen",
		"a “legitimate” way of\nending foreign occupation, according to the BBC News.",
		"The statement\nappears to be his endorsement, The Associated Press reported.",
	} {
		if !strings.Contains(all, whole) {
			t.Errorf("no sentence contains %q", whole)
		}
	}
}

// TestGUMFloor guards the sentence-boundary F1 on the GUM news dev documents: a drop fails.
func TestGUMFloor(t *testing.T) {
	dir := testutil.SharedData(t, "sentences/gum-news/dev")
	r, err := eval.GUM(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("GUM dev: P %.4f R %.4f F1 %.4f (inner F1 %.4f)", r.All.P(), r.All.R(), r.All.F1(), r.Inner.F1())
	if r.Docs != 16 {
		t.Errorf("scored %d documents, want 16", r.Docs)
	}
	if f := r.All.F1(); f < 0.99 {
		t.Errorf("GUM dev boundary F1 %.4f < 0.99", f)
	}
	if f := r.Inner.F1(); f < 0.985 {
		t.Errorf("GUM dev in-paragraph boundary F1 %.4f < 0.985", f)
	}
}

// TestGoldenRulesFloor guards the Golden Rules pass rate.
func TestGoldenRulesFloor(t *testing.T) {
	path := testutil.SharedData(t, "sentences/golden-rules/golden_rules_en.json")
	r, err := eval.GoldenRules(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed < 48 {
		t.Errorf("Golden Rules: %d of %d pass, want at least 48: %v", r.Passed, r.Cases, r.Failed)
	}
}

func readExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "examples", "taliban-peace-talks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMaxTokens: a run of text without sentence ends is cut into pieces of at most MaxTokens
// tokens, after a comma or the like where the piece's second half has one; the pieces cover every
// token; shorter sentences are left as they are.
func TestMaxTokens(t *testing.T) {
	for _, tc := range []struct {
		name, unit string
		n          int
	}{
		{"no punctuation", "word ", 1000},
		{"commas", "alpha beta gamma, ", 700},
		{"hostile", `ab.cd,"ef"-gh `, 5000},
		{"multibyte", "Zürich — café, ", 900},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Repeat(tc.unit, tc.n) + "end."
			toks := tokenize.Append(nil, text, 0, len(text))
			tokenize.Pair(text, toks, []newsgraph.Span{{Start: 0, End: len(text)}})
			sents := sentence.Split(nil, text, toks)
			k := 0
			for i, s := range sents {
				a := k
				for k < len(toks) && toks[k].End <= s.End {
					k++
				}
				if k-a > sentence.MaxTokens || k == a || toks[a].Start != s.Start {
					t.Fatalf("sentence %d: tokens %d..%d of %d", i, a, k, len(toks))
				}
				if tc.name == "commas" && i < len(sents)-1 && text[toks[k-1].Start:toks[k-1].End] != "," {
					t.Errorf("sentence %d cut after %q, not a comma", i, text[toks[k-1].Start:toks[k-1].End])
				}
			}
			if k != len(toks) {
				t.Errorf("the sentences cover %d of %d tokens", k, len(toks))
			}
		})
	}
	// A paragraph of ordinary sentences is split as before.
	text := "Mullah Omar said talks would go on. Officials in Kabul agreed. The next round is in Murree."
	toks := tokenize.Append(nil, text, 0, len(text))
	if got := sentence.Split(nil, text, toks); len(got) != 3 {
		t.Errorf("%d sentences, want 3", len(got))
	}
}
