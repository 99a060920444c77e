package timex

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/internal/testutil"
)

// TestTriggerCoverage: the sentences the tagger skips (no trigger word) hold almost no gold
// expression of TempEval-3 train.
func TestTriggerCoverage(t *testing.T) {
	dir := testutil.SharedData(t, "tempeval3/train")
	docs, err := LoadTimeML(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, missed := 0, 0
	var examples []string
	for _, d := range docs {
		for _, x := range d.Timexes {
			total++
			ok := false
			for _, w := range strings.Fields(d.Text[x.Start:x.End]) {
				if trigger(strings.Trim(w, ",.;:'\"()"), strings.ToLower(strings.Trim(w, ",.;:'\"()"))) {
					ok = true
				}
			}
			if !ok {
				missed++
				examples = append(examples, d.Text[x.Start:x.End])
			}
		}
	}
	t.Logf("%d of %d gold expressions have no trigger word: %q", missed, total, examples)
	if float64(missed) > 0.01*float64(total) {
		t.Errorf("%d of %d gold expressions have no trigger word", missed, total)
	}
}

// TestTriggerOddCase: a word whose lower case is longer in bytes than itself, with "'s", does not
// break the check (Ⱥ lower-cases to two bytes more).
func TestTriggerOddCase(t *testing.T) {
	for _, w := range []string{"ȺȺȺ1's", "Friday's", "FRIDAY'S", "'s", "İ's"} {
		trigger(w, strings.ToLower(w))
	}
	if !trigger("Friday's", "friday's") {
		t.Error("Friday's is no trigger")
	}
}
