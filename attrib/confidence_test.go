package attrib_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
)

const confidenceText = "Tony Blair arrived in Brussels on Monday.\n\n" +
	"\"We will not give up the rebate,\" Mr Blair said.\n\n" +
	"A spokesman for Commissioner Franco Frattini said the proposal was under review.\n\n" +
	"Austria's interior minister said the border would stay open.\n\n" +
	"\"It is a question of fairness,\" he said."

// TestConfidence: every attribution with a speaker or a guess has a confidence; a speaker is named
// exactly when its confidence reaches the threshold, and the guess is kept otherwise.
func TestConfidence(t *testing.T) {
	rk, err := attrib.DefaultRanker()
	if err != nil {
		t.Fatal(err)
	}
	for _, min := range []float64{0, 0.99, -1} {
		d := analyzeWith(t, engine.Options{MinSpeakerConfidence: min}, confidenceText)
		threshold := min
		if min == 0 {
			threshold = rk.Threshold
		}
		named := 0
		for _, a := range d.Layer(newsgraph.LayerAttributions) {
			name, guess, cs := a.Attr("speaker_name"), a.Attr("speaker_guess"), a.Attr("speaker_confidence")
			if name == "" && guess == "" {
				continue
			}
			c, err := strconv.ParseFloat(cs, 64)
			if err != nil || c < 0 || c > 1 {
				t.Errorf("min %v: %s %q: confidence %q", min, a.ID, d.SpanText(a), cs)
				continue
			}
			if name != "" && guess != "" {
				t.Errorf("min %v: %s has a speaker %q and a guess %q", min, a.ID, name, guess)
			}
			if name != "" {
				named++
			}
			// Relations that hold no quotation keep the resolver's speaker whatever the threshold.
			quoted := strings.Contains(d.SpanText(a), "\"")
			if quoted && (name != "") != (c >= threshold) {
				t.Errorf("min %v: %s %q: speaker %q guess %q at confidence %.2f", min, a.ID, d.SpanText(a), name, guess, c)
			}
		}
		if min < 0 && named == 0 {
			t.Errorf("every guess named: no speaker")
		}
	}
}

// TestAgreement: the cases of a speaker read against what the source says of it.
func TestAgreement(t *testing.T) {
	d := analyze(t, confidenceText)
	for cue, want := range map[string][2]string{
		"said the proposal": {"A spokesman for Commissioner Franco Frattini", "Franco Frattini"},
		"said the border":   {"Austria's interior minister", ""},
	} {
		var a *newsgraph.Span
		for _, s := range d.Layer(newsgraph.LayerAttributions) {
			if strings.Contains(d.SpanText(s), cue) {
				a = &s
			}
		}
		if a == nil {
			t.Errorf("no attribution with %q", cue)
			continue
		}
		if got := a.Attr("speaker_name"); got != want[0] || a.Attr("on_behalf_of") != want[1] || a.Attr("speaker") != "" && want[1] != "" {
			t.Errorf("%q: speaker %q (cluster %q) for %q, want %q for %q", cue, got, a.Attr("speaker"), a.Attr("on_behalf_of"), want[0], want[1])
		}
	}
	// "he" after the minister is the minister, not Tony Blair.
	if s := quoteSpeakers(d)["It is a"]; s != "Austria's interior minister" {
		t.Errorf("he: %q", s)
	}
	d = analyze(t, "Alexander Vindman, a career Army officer, said he found the call \"improper.\"")
	if s := quoteSpeakers(d)["improper."]; s != "Alexander Vindman" {
		t.Errorf("an apposition's organisation: %q", s)
	}
}

func TestReadRanker(t *testing.T) {
	rk, err := attrib.ReadRanker(strings.NewReader("# c\n@calibration\t0.5\t0.1\t0.6\t0.2\n@threshold\t0.7\n@how=name\t0.9\nrule\t1.5\n"))
	if err != nil || rk.Threshold != 0.7 || rk.Cal[1] != [2]float64{0.6, 0.2} || rk.HowRight["name"] != 0.9 {
		t.Fatalf("ReadRanker: %+v %v", rk, err)
	}
	var b strings.Builder
	if err := rk.Write(&b, "again"); err != nil {
		t.Fatal(err)
	}
	if rk2, err := attrib.ReadRanker(strings.NewReader(b.String())); err != nil || rk2.Threshold != 0.7 || rk2.HowRight["name"] != 0.9 {
		t.Errorf("round trip: %+v %v\n%s", rk2, err, b.String())
	}
	for _, bad := range []string{"", "rule\n", "rule\tx\n", "rule\tNaN\n", "@threshold\t2\nrule\t1\n", "@calibration\t1\nrule\t1\n", "@what\t1\nrule\t1\n"} {
		if _, err := attrib.ReadRanker(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if p := rk.Calibrate(0.5, true); p <= 0 || p >= 1 {
		t.Errorf("Calibrate: %v", p)
	}
	if a, b := attrib.FitPlatt([]float64{0.9, 0.9, 0.9, 0.9, 0.2, 0.2}, []bool{true, true, true, false, false, false}); a <= 0 {
		t.Errorf("FitPlatt: a %v b %v", a, b)
	}
}

// TestWireChain: a wire story's agency stands in every chain, after the publisher.
func TestWireChain(t *testing.T) {
	d := analyze(t, "KABUL, July 15 (AP) — Taliban leader Mullah Omar said the talks were \"legitimate\".\n\nOfficials said the statement was genuine, according to the BBC.")
	for _, a := range d.Layer(newsgraph.LayerAttributions) {
		ch := strings.Split(a.Attr("chain"), newsgraph.ChainSep)
		if len(ch) < 2 || ch[0] != "Newsgraph Daily" || ch[1] != "The Associated Press" {
			t.Errorf("%s %q: chain %q", a.ID, d.SpanText(a), ch)
		}
	}
}
