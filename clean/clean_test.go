package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

func paras(text string, r Result) string {
	var out []string
	for _, p := range r.Paragraphs {
		out = append(out, p.Label+":"+text[p.Start:p.End])
	}
	return strings.Join(out, " | ")
}

func TestParagraphs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"one per line", "First line.\nSecond line.", "body:First line. | body:Second line."},
		{"blank lines", "First.\n\nSecond.\n\n\nThird.", "body:First. | body:Second. | body:Third."},
		{"hard break before lower case", "a “legitimate” way of\nending foreign occupation.", "body:a “legitimate” way of\nending foreign occupation."},
		{"hard break after function word", "talks with the\nUnited States went on.", "body:talks with the\nUnited States went on."},
		{"hard break after comma", "He said,\nThe end.", "body:He said,\nThe end."},
		{"crlf", "First.\r\nSecond.\r\n\r\nThird one\r\ngoes on.", "body:First. | body:Second. | body:Third one\r\ngoes on."},
		{"indent and nbsp", "  First.\u00a0\n\u00a0 Second.", "body:First. | body:Second."},
		{"unicode separators", "First.\u2029Second.\u2028third", "body:First. | body:Second.\u2028third"},
		{"wrapped text", strings.Join([]string{
			"The company said on Tuesday that its first-quarter profit rose",
			"sharply as sales of its new products climbed in Europe and Asia,",
			"beating the forecasts of most analysts who follow the stock.",
			"    Shares rose three percent in early trading on the news of the",
			"results, the best day for the stock this year.",
		}, "\n"), "body:The company said on Tuesday that its first-quarter profit rose\nsharply as sales of its new products climbed in Europe and Asia,\nbeating the forecasts of most analysts who follow the stock. | body:Shares rose three percent in early trading on the news of the\nresults, the best day for the stock this year."},
		{"boilerplate stands alone", "Body text here.\n© 2025 Newsmax. All rights reserved.", "body:Body text here. | boilerplate:© 2025 Newsmax. All rights reserved."},
		{"title", "Taliban leader backs talks\n\nFirst paragraph.\n\nSecond paragraph.", "title:Taliban leader backs talks | body:First paragraph. | body:Second paragraph."},
		{"kicker and title", "EXCLUSIVE\n\nTaliban leader backs talks\n\nFirst paragraph.\n\nSecond paragraph.", "kicker:EXCLUSIVE | title:Taliban leader backs talks | body:First paragraph. | body:Second paragraph."},
		{"no title when a sentence", "The Taliban spoke.\n\nFirst paragraph.\n\nSecond paragraph.", "body:The Taliban spoke. | body:First paragraph. | body:Second paragraph."},
		{"credit words inside a sentence", "The officials said they would\ncontact the editors of the paper on Monday.", "body:The officials said they would\ncontact the editors of the paper on Monday."},
		{"share words inside a sentence", "He said he would\nlike to share the updates on Twitter later,\naides said.", "body:He said he would\nlike to share the updates on Twitter later,\naides said."},
		{"blank line with spaces parts boilerplate", "Text.\n\n© 2025 Newsmax.\n \t\nShare on Facebook", "body:Text. | boilerplate:© 2025 Newsmax. | boilerplate:Share on Facebook"},
		{"adjacent boilerplate lines", "Text.\n\n© 2025 Newsmax.\nShare on Facebook", "body:Text. | boilerplate:© 2025 Newsmax.\nShare on Facebook"},
		{"quoted sentence is no title", "“We are ready.”\n\nFirst paragraph.\n\nSecond paragraph.", "body:“We are ready.” | body:First paragraph. | body:Second paragraph."},
		{"question headline", "Will the Taliban talk?\n\nFirst paragraph.\n\nSecond paragraph.", "title:Will the Taliban talk? | body:First paragraph. | body:Second paragraph."},
		{"table of figures has no title", "Qtly div 21 cts vs 16 cts prior\n    Pay April One\n    Record March 17\n Reuter", "body:Qtly div 21 cts vs 16 cts prior | body:Pay April One | body:Record March 17 | boilerplate:Reuter"},
		{"brand headline", "iTunes now selling Band Aid song\n\nFirst paragraph.\n\nSecond paragraph.", "title:iTunes now selling Band Aid song | body:First paragraph. | body:Second paragraph."},
		{"trailing headline", "Rivals of the £400 Apple...\n\nFirst paragraph.\n\nSecond paragraph.", "title:Rivals of the £400 Apple... | body:First paragraph. | body:Second paragraph."},
		{"headline without a blank line", "Taliban backs talks\nThe Taliban leader said on Wednesday that talks could go on.\nMore text here.", "title:Taliban backs talks | body:The Taliban leader said on Wednesday that talks could go on. | body:More text here."},
		{"by as a sentence", "By Monday, the Taliban had taken the city.\n\nMore.\n\nEven more.\n\nLast.", "body:By Monday, the Taliban had taken the city. | body:More. | body:Even more. | body:Last."},
		{"byline", "Talks resume\n\nBy Jane Smith and John Doe\n\nKABUL (Reuters) - Talks began.\n\nMore text.", "title:Talks resume | byline:By Jane Smith and John Doe | body:KABUL (Reuters) - Talks began. | body:More text."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Analyze(tt.in)
			if got := paras(tt.in, r); got != tt.want {
				t.Errorf("\n got: %q\nwant: %q", got, tt.want)
			}
			if err := newsgraph.CheckSpans(tt.in, r.Paragraphs); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestBoilerplate(t *testing.T) {
	tests := []struct{ line, kind string }{
		{"© 2025 Newsmax. All rights reserved.", "copyright"},
		{"Copyright 2015 The Associated Press. All rights reserved.", "copyright"},
		{"(c) 2024 Reuters", "copyright"},
		{"This material may not be published, broadcast, rewritten or redistributed.", "copyright"},
		{"Reporting by Jane Smith; Editing by John Doe", "credit"},
		{"(Reporting by Jane Smith in Kabul; Writing by John Doe; Editing by Ann Lee)", "credit"},
		{"Additional reporting by Hamid Shalizi", "credit"},
		{"Photo: Getty Images", "credit"},
		{"Image: United States Navy.", "credit"},
		{"(AP Photo/Rahmat Gul)", "credit"},
		{"Click here to read more", "share"},
		{"Share this article", "share"},
		{"Share on Facebook Twitter", "share"},
		{"Follow us on Twitter", "share"},
		{"Subscribe to our newsletter for daily updates", "share"},
		{"Sign up", "share"},
		{"Advertisement", "share"},
		{"Related: Taliban leader dies", "related"},
		{"Read more: The war in Afghanistan", "related"},
		{"Most read", "related"},
		// Article text that must not be taken for boilerplate.
		{"Copyright holders have sued the site.", ""},
		{"More than 100 people died in the attack.", ""},
		{"He said he would follow the talks closely.", ""},
		{"Share prices fell on Monday as investors sold.", ""},
		{"Reporting by the BBC suggested the talks would go on, officials said on Tuesday, after a long day of meetings in the capital that ended late.", ""},
		{"The photo shows the Taliban leader.", ""},
		{"Like other officials, he posted the statement on Facebook.", ""},
		{"Pictures by NASA showed the damage.", ""},
		{"Photo by Jane Smith/AP", "credit"},
		{"REUTERS/Ahmad Masood", "credit"},
		{"Reuter", "credit"},
		{"(C) - Sales made on exporters' own account.", ""},
		{"Follow her on Twitter @janesmith", "credit"},
		{"Get the latest headlines in your inbox with our newsletter", "share"},
		{"Contact the editors of the paper on Monday.", ""},
		{"Contact the writer: jane@example.com", "credit"},
		{"Join us on Facebook", "share"},
		{"Subscribe to our newsletter", "share"},
		// Calls to follow or listen, of any programme or site, and credits at the end of wire copy.
		{"Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "share"},
		{"Follow The Daily Show on TikTok and Threads", "share"},
		{"Listen to Newsbeat live at 12:45 and 17:45 weekdays - or listen back here.", "share"},
		{"Tune in to Today every weekday from 6am.", "share"},
		{"Listen again to the interview on the Radio Five Live website.", "share"},
		{"Watch live: the minister's statement", "share"},
		{"Associated Press writer Maria Gonzalez in Mexico City contributed to this report.", "credit"},
		{"Jane Smith and Bob Jones contributed to this report.", "credit"},
		{"Reuters also contributed reporting to this story", "credit"},
		{"She will follow the band on tour in the spring, her manager said.", ""},
		{"Listen to what the minister said: the plan will not work, critics argue.", ""},
		{"Follow the money, investigators said on Monday of the scheme on Facebook.", ""},
		{"Everyone who contributed to this report was thanked by the committee, which met again on Monday to discuss how the inquiry's findings would be published in full.", ""},
	}
	for _, tt := range tests {
		if got := boilerKind(tt.line); got != tt.kind {
			t.Errorf("boilerKind(%q) = %q, want %q", tt.line, got, tt.kind)
		}
	}
	// Every pattern of data/boilerplate.tsv has an example here that it matches and that passes the
	// cheap prefilter (maybeBoiler), which keeps the filter's word lists in step with the data.
	for i, p := range patterns {
		ok := false
		for _, tt := range tests {
			if tt.kind == p.kind && p.re.MatchString(tt.line) && maybeBoiler(tt.line) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("pattern %d (%s %s) has no example in TestBoilerplate that reaches it", i, p.kind, p.re)
		}
	}
	if _, err := parsePatterns(boilerplateData); err != nil {
		t.Fatal(err)
	}
	if _, err := parsePatterns("copyright\t(\n"); err == nil {
		t.Error("a bad regular expression was accepted")
	}
}

func TestPublisherAndDateline(t *testing.T) {
	tests := []struct {
		name, in                      string
		publisher, source             string
		place, date, agency, datetext string
	}{
		{"copyright", "Talks.\n\nMore.\n\n© 2025 Newsmax. All rights reserved.", "Newsmax", "copyright", "", "", "", ""},
		{"copyright company", "Talks.\n\nCopyright 2014 Newsmax Media, Inc. All rights reserved.", "Newsmax Media", "copyright", "", "", "", ""},
		{"reuters dateline", "KABUL, July 15 (Reuters) - The Taliban said.", "Reuters", "wire", "KABUL", "July 15", "Reuters", "KABUL, July 15 (Reuters) -"},
		{"ap dateline", "WASHINGTON (AP) — The Taliban said.", "AP", "wire", "WASHINGTON", "", "AP", "WASHINGTON (AP) —"},
		{"cnn", "(CNN)The Taliban said.", "CNN", "wire", "", "", "CNN", "(CNN)"},
		{"place and region", "KABUL, Afghanistan — The Taliban said.", "", "", "KABUL, Afghanistan", "", "", "KABUL, Afghanistan —"},
		{"reuters-21578", "NEW YORK, March 3 - Shares rose.", "", "", "NEW YORK", "March 3", "", "NEW YORK, March 3 -"},
		{"copyright beats wire", "WASHINGTON (AP) — Talks.\n\n© 2025 Newsmax. All rights reserved.", "Newsmax", "copyright", "WASHINGTON", "", "AP", "WASHINGTON (AP) —"},
		{"no dateline", "US officials said talks would go on.", "", "", "", "", "", ""},
		{"accented place", "BOGOTÁ, July 15 (Reuters) - Talks began.", "Reuters", "wire", "BOGOTÁ", "July 15", "Reuters", "BOGOTÁ, July 15 (Reuters) -"},
		{"unknown parenthesis", "(Updated) Talks resumed on Monday.", "", "", "", "", "", ""},
		{"hyphenated capitals", "ADVO-SYSTEM INC <ADVO> 1ST QTR NET", "", "", "", "", "", ""},
		{"glued dash", "YEAR TO END-March 31 profits rose.", "", "", "", "", "", ""},
		{"capitals then lower case", "ISIS - the group said it would fight.", "", "", "", "", "", ""},
		{"capitals without a dash", "NATO said talks would go on.", "", "", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Analyze(tt.in)
			if r.Publisher != tt.publisher || r.PublisherSource != tt.source {
				t.Errorf("publisher %q (%s), want %q (%s)", r.Publisher, r.PublisherSource, tt.publisher, tt.source)
			}
			dl := r.Dateline
			if tt.datetext == "" {
				if dl != nil {
					t.Errorf("dateline %+v, want none", dl)
				}
				return
			}
			if dl == nil {
				t.Fatal("no dateline")
			}
			if dl.Place != tt.place || dl.Date != tt.date || dl.Agency != tt.agency || tt.in[dl.Start:dl.End] != tt.datetext {
				t.Errorf("dateline %q place %q date %q agency %q, want %q %q %q %q", tt.in[dl.Start:dl.End], dl.Place, dl.Date, dl.Agency, tt.datetext, tt.place, tt.date, tt.agency)
			}
		})
	}
}

// TestExample: the footer is boilerplate, Newsmax the publisher, and the two hard line breaks stay
// inside their paragraphs.
func TestExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "examples", "taliban-peace-talks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	r := Analyze(text)
	if len(r.Paragraphs) != 14 {
		t.Errorf("got %d paragraphs, want 14:\n%s", len(r.Paragraphs), paras(text, r))
	}
	if len(r.Boilerplate) != 1 || text[r.Boilerplate[0].Start:r.Boilerplate[0].End] != "© 2025 Newsmax. All rights reserved." {
		t.Errorf("boilerplate %v", r.Boilerplate)
	}
	if r.Publisher != "Newsmax" || r.PublisherSource != "copyright" {
		t.Errorf("publisher %q (%s)", r.Publisher, r.PublisherSource)
	}
	if r.Title != -1 {
		t.Errorf("took paragraph %d for a title", r.Title)
	}
	for _, frag := range []string{"way of\nending", "The statement\nappears"} {
		i := strings.Index(text, frag)
		found := false
		for _, p := range r.Paragraphs {
			if p.Start <= i && i+len(frag) <= p.End {
				found = true
			}
		}
		if !found {
			t.Errorf("%q is split across paragraphs", frag)
		}
	}
}

// TestAgency: a wire story's agency, from its dateline tag, its byline or a credit line, by its
// canonical name; words that only look like one are not.
func TestAgency(t *testing.T) {
	for _, c := range []struct{ text, agency, source string }{
		{"KABUL, July 15 (Reuters) - The talks resumed.\n", "Reuters", "dateline"},
		{"WASHINGTON (AP) — The talks resumed.\n", "The Associated Press", "dateline"},
		{"Talks resume\n\nBy JANE SMITH, Associated Press\n\nThe talks resumed on Monday.\n", "The Associated Press", "byline"},
		{"Talks resume\n\nThe talks resumed on Monday, officials said.\n\nAssociated Press writer Maria Gonzalez in Mexico City contributed to this report.\n", "The Associated Press", "credit"},
		{"Talks resume\n\nThe talks resumed on Monday, the AP said.\n", "", ""},
		{"Talks resume\n\nBy Jane Apple\n\nThe talks resumed on Monday.\n", "", ""},
	} {
		r := Analyze(c.text)
		if r.Agency != c.agency || r.AgencySource != c.source {
			t.Errorf("%q: agency %q (%s), want %q (%s)", c.text, r.Agency, r.AgencySource, c.agency, c.source)
		}
	}
}

// TestLanguage: English by its function words, other languages by the detector when it is sure;
// a text too short to tell is taken for English, unsure.
func TestLanguage(t *testing.T) {
	for _, c := range []struct {
		text, want string
		sure       bool
	}{
		{"Taliban leader Mullah Omar has endorsed peace talks with the Afghan government, according to a statement.", "en", true},
		{"Il black Friday incombe su di noi: per chi non lo sapesse, è il giorno in cui i negozi fanno sconti enormi su tutti i prodotti.", "it", true},
		{"Die Digitalisierung als Wachstums- und Entwicklungstreiber zieht sich durch alle Bereiche der Wirtschaft und der Gesellschaft.", "de", true},
		{"Наши герои знают толк не только в еде, но и в том, как красиво её подать и сфотографировать для своих читателей.", "ru", true},
		{"엘제이의 리벤지인가, 류화영의 코스프레인가. 두 사람의 열애설이 다시 한번 온라인을 뜨겁게 달구고 있다는 소식이 전해졌다.", "ko", true},
		{"O professor apresenta, neste vídeo, uma loja incrível de materiais educativos para as crianças que estão aprendendo a ler.", "pt", true},
		{"Talks resume", "en", false},
	} {
		got, sure := Language(c.text)
		if got != c.want || sure != c.sure {
			t.Errorf("Language(%.40q) = %q %v, want %q %v", c.text, got, sure, c.want, c.sure)
		}
	}
}
