package attrib_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
)

// analyze runs the default pipeline with every speaker guess named (no confidence threshold): the
// tests below read which speaker the resolver and the ranker choose; TestConfidence the threshold.
func analyze(t *testing.T, text string) *newsgraph.Doc {
	t.Helper()
	return analyzeWith(t, engine.Options{MinSpeakerConfidence: -1}, text)
}

func analyzeWith(t *testing.T, o engine.Options, text string) *newsgraph.Doc {
	t.Helper()
	p, err := engine.NewWithOptions(o)
	if err != nil {
		t.Fatal(err)
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{Publisher: "Newsgraph Daily"})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, d)
	return d
}

// checkInvariants: every attribution has a cue (but a continuation) and a content, its roles name
// it, its parent exists, and following parents never loops.
func checkInvariants(t *testing.T, d *newsgraph.Doc) {
	t.Helper()
	ids := map[string]newsgraph.Span{}
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		ids[a.ID] = a
	}
	roles := map[string]map[string]int{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if _, ok := ids[id]; !ok {
			t.Errorf("role %s %q names no attribution (%q)", r.Label, d.SpanText(r), id)
		}
		if roles[id] == nil {
			roles[id] = map[string]int{}
		}
		roles[id][r.Label]++
	}
	for id, a := range ids {
		if roles[id]["content"] == 0 || roles[id]["cue"] == 0 && a.Label != "continuation" {
			t.Errorf("%s (%s) lacks a cue or a content: %v", id, a.Label, roles[id])
		}
		seen := map[string]bool{}
		for p := a.Attr("parent"); p != ""; p = ids[p].Attr("parent") {
			if _, ok := ids[p]; !ok || seen[p] {
				t.Errorf("%s: parent chain breaks or loops at %q", id, p)
				break
			}
			seen[p] = true
		}
	}
	for _, q := range d.Layer(newsgraph.LayerQuotes) {
		if id := q.Attr("attribution"); id != "" {
			if _, ok := ids[id]; !ok {
				t.Errorf("quotation %q names no attribution (%q)", d.SpanText(q), id)
			}
		}
	}
}

// byCue returns the attribution whose cue is the given text, and its roles' texts.
func byCue(t *testing.T, d *newsgraph.Doc, cue string) (newsgraph.Span, map[string]string) {
	t.Helper()
	roles := map[string]map[string]string{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if roles[id] == nil {
			roles[id] = map[string]string{}
		}
		roles[id][r.Label] = strings.TrimSpace(roles[id][r.Label] + " " + d.SpanText(r))
	}
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		if roles[a.ID]["cue"] == cue {
			return a, roles[a.ID]
		}
	}
	t.Fatalf("no attribution with the cue %q in %q", cue, d.Text())
	return newsgraph.Span{}, nil
}

func TestKinds(t *testing.T) {
	for _, c := range []struct {
		text, cue, kind, source, content, speaker string
	}{
		{"“We will win the vote,” said Maria Gonzalez, a lawmaker from Madrid.", "said", "direct", "Maria Gonzalez, a lawmaker from Madrid", "“We will win the vote,”", "Maria Gonzalez"},
		{"“The plan will fail,” said Maria Gonzalez, a friend of John Smith.", "said", "direct", "Maria Gonzalez, a friend of John Smith", "“The plan will fail,”", "Maria Gonzalez"},
		{"“We will appeal,” said Bill Cosby's lawyer, Walter Phillips.", "said", "direct", "Bill Cosby's lawyer, Walter Phillips", "“We will appeal,”", "Walter Phillips"},
		{"According to Reuters, the company lost $4 million last year.", "According to", "according-to", "Reuters", "the company lost $4 million last year", "Reuters"},
		{"The company lost $4 million last year, according to the Financial Times.", "according to", "according-to", "the Financial Times", "The company lost $4 million last year", "Financial Times"},
		{"Officials said the bridge would reopen in May.", "said", "indirect", "Officials", "the bridge would reopen in May", "Officials"},
		{"Smith told reporters that the plan was “dead on arrival” and would fail.", "told", "mixed", "Smith", "", "Smith"},
	} {
		d := analyze(t, c.text)
		a, r := byCue(t, d, c.cue)
		if a.Label != c.kind {
			t.Errorf("%q: kind %s, want %s", c.text, a.Label, c.kind)
		}
		if r["source"] != c.source {
			t.Errorf("%q: source %q, want %q", c.text, r["source"], c.source)
		}
		if c.content != "" && r["content"] != c.content {
			t.Errorf("%q: content %q, want %q", c.text, r["content"], c.content)
		}
		if got := a.Attr("speaker_name"); got != c.speaker {
			t.Errorf("%q: speaker %q, want %q", c.text, got, c.speaker)
		}
	}
}

func TestResolution(t *testing.T) {
	d := analyze(t, "Senator John Miller arrived in Ohio on Monday.\n\nHe said the trip had been long and tiring.")
	a, _ := byCue(t, d, "said")
	if a.Attr("speaker_name") != "John Miller" || a.Attr("resolved") != "pronoun" || a.Attr("speaker") == "" {
		t.Errorf("he: speaker %q (%s, cluster %q), want John Miller by pronoun", a.Attr("speaker_name"), a.Attr("resolved"), a.Attr("speaker"))
	}
	d = analyze(t, "Rebel leader Ali Hassan sent a message to his fighters on Friday.\n\n“We will not surrender,” the message read.")
	a, _ = byCue(t, d, "read")
	if a.Attr("speaker_name") != "Ali Hassan" || a.Attr("resolved") != "document" {
		t.Errorf("the message: speaker %q (%s), want Ali Hassan by document", a.Attr("speaker_name"), a.Attr("resolved"))
	}
}

// TestChainAndContinuation: a quotation inside what an outlet reports hangs under it, and a
// quotation paragraph without a cue continues the speaker before it.
func TestChainAndContinuation(t *testing.T) {
	d := analyze(t, "“We have won the war,” Ali Hassan wrote, the BBC reported.\n\n“Our fighters will now go home to their families.”")
	wrote, _ := byCue(t, d, "wrote")
	reported, _ := byCue(t, d, "reported")
	if wrote.Attr("parent") != reported.ID {
		t.Errorf("wrote: parent %q, want %s", wrote.Attr("parent"), reported.ID)
	}
	if got := strings.Split(wrote.Attr("chain"), newsgraph.ChainSep); strings.Join(got, " <- ") != "Newsgraph Daily <- BBC <- Ali Hassan" {
		t.Errorf("chain %q", got)
	}
	var cont *newsgraph.Span
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		if a.Label == "continuation" {
			cont = &a
		}
	}
	if cont == nil {
		t.Fatal("no continuation")
	}
	if cont.Attr("speaker_name") != "Ali Hassan" || cont.Attr("parent") != reported.ID {
		t.Errorf("continuation: speaker %q, parent %q", cont.Attr("speaker_name"), cont.Attr("parent"))
	}
	q := d.Layer(newsgraph.LayerQuotes)
	if len(q) != 2 || q[1].Attr("attribution") != cont.ID {
		t.Errorf("quotes %v", q)
	}
}

// TestUnbalanced: a stray quotation mark does not stop the rest of the document.
func TestUnbalanced(t *testing.T) {
	d := analyze(t, "He called it a “disaster.\n\n“We will rebuild,” the mayor, Anna Berg, said on Tuesday.")
	a, r := byCue(t, d, "said")
	if a.Label != "direct" || !strings.Contains(r["content"], "We will rebuild") {
		t.Errorf("after an unpaired mark: %s %v", a.Label, r)
	}
}

// TestRuleBaseline: the rule baseline finds the plain cases it is built for.
func TestRuleBaseline(t *testing.T) {
	exs := []attrib.Example{}
	for _, text := range []string{
		"The minister said that the talks had failed.",
		"“We will win,” Smith said.",
		"The company lost money, according to Reuters.",
	} {
		exs = append(exs, attrib.Example{Doc: analyze(t, text)})
	}
	s, err := attrib.EvaluateRules(exs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Relation.Predicted != 3 {
		t.Errorf("the rules found %v relations in three sentences with one each", s.Relation.Predicted)
	}
}

// TestLayoutAttributions: a quotation signed with a dash and a speaker's name with a colon opening
// a paragraph are attributions, with the dash or colon as the cue; a dash that goes on into a
// sentence, or a label with a colon, is not.
func TestLayoutAttributions(t *testing.T) {
	text := "Readers wrote to us after the debate.\n\n" +
		"“He represents our greatest shame.” ― Sonya Herridge\n\n" +
		"”Fear. I am truly afraid.” ― Edwin G. Monroy\n\n" +
		"“We will win,” – the crowd chanted it again and again.\n\n" +
		"WALLACE: Let’s start with breaking news on the debate story tonight.\n\n" +
		"UPDATE: The story has been changed since it was first published."
	d := analyze(t, text)
	roles := map[string]map[string]string{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		id := r.Attr("attribution")
		if roles[id] == nil {
			roles[id] = map[string]string{}
		}
		roles[id][r.Label] += d.SpanText(r)
	}
	byCue := map[string]map[string]string{}
	for _, r := range roles {
		byCue[r["cue"]+" "+r["source"]] = r
	}
	if r := byCue["― Sonya Herridge"]; r == nil || r["content"] != "“He represents our greatest shame.”" {
		t.Errorf("signed quotation: %v", roles)
	}
	if r := byCue["― Edwin G. Monroy"]; r == nil || r["content"] != "”Fear. I am truly afraid.”" {
		t.Errorf("signed quotation opened with ”: %v", roles)
	}
	if r := byCue[": WALLACE"]; r == nil || !strings.HasPrefix(r["content"], "Let’s start with breaking news") {
		t.Errorf("transcript turn: %v", roles)
	}
	for k := range byCue {
		if strings.HasPrefix(k, "– ") || strings.Contains(k, "UPDATE") {
			t.Errorf("spurious layout attribution %q", k)
		}
	}
}

// TestTrailingSources: the speaker of an inverted reporting clause after its content, which the
// role tagger tends to read as more content.
func TestTrailingSources(t *testing.T) {
	text := "Ministers met in London.\n\n" +
		"The economy is growing faster than expected, said the minister on Monday.\n\n" +
		"Mobile television will have to overcome several barriers before it is popular, said the report.\n\n" +
		"Technical issues must be resolved first, said Friday.\n\n" +
		"The party will not hold a TV debate this year, says Blair.\n\n" +
		"China's Baoshan Iron and Steel Co. said it was delaying a share sale because of weak market conditions, adding it would raise steel prices to offset ore costs.\n\n" +
		"Qantas confirmed it was looking at whether it might recruit and source products overseas - potentially through joint ventures - but said it would continue to create jobs in Australia."
	d := analyze(t, text)
	got := map[string]string{} // cue sentence start -> source
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		src, con := "", ""
		for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
			if r.Attr("attribution") != a.ID {
				continue
			}
			switch r.Label {
			case "source":
				src += d.SpanText(r)
			case "content":
				con += d.SpanText(r)
			}
		}
		if len(con) > 12 {
			got[con[:12]] = src
		}
	}
	var adding, butSaid string
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
			if r.Attr("attribution") == a.ID && r.Label == "cue" && d.SpanText(r) == "adding" {
				adding = a.Attr("speaker_name")
			}
			if r.Attr("attribution") == a.ID && r.Label == "cue" && d.SpanText(r) == "said" && strings.Contains(d.SpanText(a), "create jobs") {
				butSaid = a.Attr("speaker_name")
			}
		}
	}
	if !strings.Contains(adding, "Baoshan") {
		t.Errorf("the participle's speaker: %q, want China's Baoshan Iron and Steel Co.", adding)
	}
	if butSaid != "Qantas" {
		t.Errorf("the coordinated verb's speaker: %q, want Qantas", butSaid)
	}
	for start, want := range map[string]string{
		"The economy ": "the minister", "Mobile telev": "the report", "The party wi": "Blair", "Technical is": "",
	} {
		if src, ok := got[start]; !ok && want != "" || src != want {
			t.Errorf("%q…: source %q, want %q (all: %q)", start, src, want, got)
		}
	}
}

// TestClauseContents: a "that" clause the role tagger cut short runs to its end.
func TestClauseContents(t *testing.T) {
	d := analyze(t, "Blair's memoir is out.\n\nThe book, serialised in the Sunday Telegraph, alleges that Mr Blair told the chancellor at a dinner hosted by deputy PM John Prescott in November 2003 of his intention to stand down.")
	var con string
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		if r.Label == "content" && strings.HasPrefix(d.SpanText(r), "that Mr Blair") {
			con = d.SpanText(r)
		}
	}
	if !strings.HasSuffix(con, "of his intention to stand down") {
		t.Errorf("content %q, want the clause to its end", con)
	}
}

// TestHeadlineSource: "CONTENT, says NAME" as a headline, which the taggers read the wrong way round.
func TestHeadlineSource(t *testing.T) {
	d := analyze(t, "No election TV debate, says Blair\n\nTony Blair has said he will not take part in a TV debate with his political rivals ahead of the next election.\n")
	roles := map[string]string{}
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		if r.Attr("attribution") == "a1" {
			roles[r.Label] += d.SpanText(r)
		}
	}
	if roles["source"] != "Blair" || roles["cue"] != "says" || roles["content"] != "No election TV debate" {
		t.Errorf("headline roles %q", roles)
	}
	if a := d.Layer(newsgraph.LayerAttributions)[0]; a.Attr("speaker_name") != "Tony Blair" {
		t.Errorf("headline speaker %q, want Tony Blair", a.Attr("speaker_name"))
	}
}

// quoteSpeakers returns the speaker of each quotation of the quotes layer, by its first words.
func quoteSpeakers(d *newsgraph.Doc) map[string]string {
	out := map[string]string{}
	for _, q := range d.Layer(newsgraph.LayerQuotes) {
		w := strings.Fields(strings.Trim(d.SpanText(q), "\"“”"))
		out[strings.Join(w[:min(3, len(w))], " ")] = q.Attr("speaker_name")
	}
	return out
}

// TestQuotationSpeakers: quotations whose speaker only their place says.
func TestQuotationSpeakers(t *testing.T) {
	for _, c := range []struct{ name, text, quote, want string }{
		{"verb of any kind after the quotation",
			"Farmers run the network.\n\n\"This is a pilot project, and we are keen on it,\" underlined Carlos Saldarriaga.",
			"This is a", "Carlos Saldarriaga"},
		{"a second quotation right after the first",
			"Veteran surfers will remember old-timers like Hotbot and Altavista. \"Search was always important,\" said Urs Holzle, Google vice-president of operations. \"We trumpeted that in 1999. It is even truer now as there are more users and more information.\" \"People didn't realise that search was the future. The financials have something to do with it.\" Google has shown web commerce can work.",
			"People didn't realise", "Urs Holzle"},
		{"paragraph breaks the text lost",
			"Arsene Wenger kept faith in his goalkeeper. Wenger said: \"You don't think I would drop him, do you? I don't do that. \"I have to give him a run for a few games.\"",
			"You don't think", "Arsene Wenger"},
		{"a paragraph that continues a quotation, then narration with a report of its own",
			"Mr Blair said having Turkey in the EU was of \"importance to the future peace and prosperity of my country, Britain, and the wider world\".\n\n\"We are stating a fundamental principle that the fact Turkey is a Muslim country does not mean it should be barred from Europe. \"On the contrary, if it fulfils the same principles of human rights, then Muslim and Christian can work together.\" Under the agreement, Turkey must issue a written statement promising to sign an accord effectively recognising the Greek Cypriot government.",
			"We are stating", "Mr Blair"},
	} {
		d := analyze(t, c.text)
		if got := quoteSpeakers(d)[c.quote]; got != c.want {
			t.Errorf("%s: the quotation %q has the speaker %q, want %q (%v)", c.name, c.quote, got, c.want, quoteSpeakers(d))
		}
	}
}

// TestDescriptions: a source that describes a speaker the article named before.
func TestDescriptions(t *testing.T) {
	for _, c := range []struct{ name, text, source, want string }{
		{"an organisation by its kind",
			"Friday's strike by the Public and Commercial Services Union (PCS) is the biggest in the civil service since 1993. The union says it is concerned about pensions and sick pay.",
			"The union", "Public and Commercial Services Union"},
		{"a role noun",
			"Thierry Henry believes he will be blamed if Arsenal fail to qualify. Henry will captain the side on Tuesday. And the striker said: \"If we go out, it will be my fault.\"",
			"the striker", "Thierry Henry"},
		{"a document's author in its complement",
			"Carphone Warehouse adverts were spotted on eDonkey this week. A statement from the discount phone firm said the adverts had been placed by an agency.",
			"A statement from the discount phone firm", "Carphone Warehouse"},
		{"a described person with a complement says who it is, not who spoke last",
			"Tessa Jowell said the bill would pass. The MP for Sleaford and North Hykeham said the bill was expensive.",
			"The MP for Sleaford and North Hykeham", "The MP for Sleaford and North Hykeham"},
		{"he after an unnamed spokesman",
			"John Denham said the plans were wrong. But a spokesman for the Home Office defended the proposals. \"They will make the courts fairer,\" he said.",
			"he", "a spokesman for the Home Office"},
		{"he is not an unnamed spokeswoman",
			"Mark Mulligan said the adverts were a problem. A spokeswoman for the firm said the adverts were placed by an agency. That was no excuse, he said.",
			"he", "Mark Mulligan"},
		{"she is not the man who spoke last",
			"Education Secretary Ruth Kelly met head teachers on Monday. Mike Tomlinson said the reforms were welcome. But she said the exams would stay.",
			"she", "Ruth Kelly"},
		{"he is not the woman who spoke last",
			"George Galloway met aid workers in Baghdad. Margaret Hassan said the aid was not arriving. But he said the blockade was to blame.",
			"he", "George Galloway"},
		{"an unnamed spokeswoman of a named organisation is not he",
			"Mark Mulligan said the adverts were a problem. A spokeswoman for Microsoft said the adverts were placed by an agency. That was no excuse, he said.",
			"he", "Mark Mulligan"},
		{"a capitalised title only",
			"Fans will miss Didier Drogba on Saturday. Didier Drogba said the injury was minor. Mary Smith said the club would cope. But he said nothing would change.",
			"he", "Didier Drogba"},
		{"a plural role noun is a group, not the person before",
			"Tony Blair said the law would stay. Civil rights activists said the law was unfair.",
			"Civil rights activists", "Civil rights activists"},
	} {
		d := analyze(t, c.text)
		roles := map[string]map[string]string{}
		for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
			id := r.Attr("attribution")
			if roles[id] == nil {
				roles[id] = map[string]string{}
			}
			roles[id][r.Label] = d.SpanText(r)
		}
		got, found := "", false
		for _, a := range d.Layer(newsgraph.LayerAttributions) {
			if roles[a.ID]["source"] == c.source {
				got, found = a.Attr("speaker_name"), true
			}
		}
		if !found || got != c.want {
			t.Errorf("%s: the source %q (found: %v) resolves to %q, want %q", c.name, c.source, found, got, c.want)
		}
	}
}

// TestQuotedAsSaying: "X reports Y as saying": the words are Y's, reported through X.
func TestQuotedAsSaying(t *testing.T) {
	d := analyze(t, "Unions fear job losses.\n\n\"The works council has expressed concerns that the trade could be managed from London,\" Reuters news agency reports a union source as saying.")
	a, r := byCue(t, d, "as saying")
	if r["source"] != "a union source" || a.Attr("speaker_name") != "a union source" {
		t.Errorf("as saying: source %q, speaker %q", r["source"], a.Attr("speaker_name"))
	}
	if got := strings.Split(a.Attr("chain"), newsgraph.ChainSep); strings.Join(got, " <- ") != "Newsgraph Daily <- Reuters <- a union source" {
		t.Errorf("chain %q", got)
	}
	if s := quoteSpeakers(d)["The works council"]; s != "a union source" {
		t.Errorf("the quotation's speaker %q", s)
	}
}

// TestReviewCases: cases a review of the quotation and speaker rules found.
func TestReviewCases(t *testing.T) {
	// A quotation nested in a continuation is not a continuation of its own.
	d := analyze(t, "Tony Blair said the plan was good.\n\n\"We call it 'the third way'. It works.\"")
	n := 0
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		if a.Label == "continuation" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d continuations, want 1 (the paragraph, not the nested quotation)", n)
	}
	// A paragraph whose quotation continues the speaker before, but which has a relation of its
	// own later, hands that relation's speaker to the next paragraph.
	d = analyze(t, "Tony Blair said the plan was good.\n\n\"We will win the vote.\" Separately, Michael Howard said the plan was a disgrace.\n\n\"It will cost every family a fortune in higher taxes.\"")
	if s := quoteSpeakers(d)["It will cost"]; s != "Michael Howard" {
		t.Errorf("third paragraph: speaker %q, want Michael Howard (%v)", s, quoteSpeakers(d))
	}
	// A scare quote inside a sentence is nobody's words, whatever verb follows: "nobody" wins the
	// ranking, and the guess is not named.
	d = analyzeWith(t, engine.Options{}, "Despite the \"special relationship,\" George Bush ignored Tony Blair.")
	if s := quoteSpeakers(d)["special relationship,"]; s != "" {
		t.Errorf("scare quote: speaker %q", s)
	}
	// A quotation of two paragraphs signed "…," VERB NAME is the signer's from its first mark.
	d = analyze(t, "Farmers run the network.\n\n\"We will fight this plan all the way to the courts.\n\n\"We will never give up on it,\" underlined Carlos Saldarriaga.")
	if s := quoteSpeakers(d)["We will fight"]; s != "Carlos Saldarriaga" {
		t.Errorf("two-paragraph quotation: speaker %q (%v)", s, quoteSpeakers(d))
	}
	// "X quoted Y as saying": Y's words, under X's relation, every time.
	for i := 0; i < 5; i++ {
		d = analyze(t, "\"We will strike next month,\" John Smith quoted a union source as saying.")
		a, _ := byCue(t, d, "as saying")
		if s := quoteSpeakers(d)["We will strike"]; s != "a union source" || a.Attr("parent") == "" {
			t.Fatalf("as saying: the quotation's speaker %q, parent %q", s, a.Attr("parent"))
		}
	}
	// "as warning" after a clause is no one quoted.
	d = analyze(t, "Officials said the speech was widely seen as warning Iran against further tests.")
	for _, r := range d.Layer(newsgraph.LayerAttributionRoles) {
		if r.Label == "cue" && d.SpanText(r) == "as warning" {
			t.Errorf("a relation with the cue %q", d.SpanText(r))
		}
	}
}

// TestYearOld: a "-year-old" is one person, not a plural group.
func TestYearOld(t *testing.T) {
	d := analyze(t, "John Smith said he was arrested on Monday. The 42-year-old said he was innocent.")
	found := false
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		found = found || strings.Contains(d.SpanText(a), "42-year-old") && a.Attr("speaker_name") == "John Smith"
	}
	if !found {
		t.Error("the 42-year-old is not John Smith")
	}
}
