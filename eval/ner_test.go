package eval

import "testing"

func TestNER(t *testing.T) {
	gold := [][]string{{"B-PER", "I-PER", "O", "B-LOC"}, {"B-ORG", "O"}}
	pred := [][]string{{"B-PER", "O", "O", "B-LOC"}, {"B-ORG", "B-MISC"}}
	r := NER(gold, pred)
	// PER: predicted [0,1) is wrong (fp), gold [0,2) missed (fn); LOC and ORG right; MISC fp.
	if r.Overall != (PRF{TP: 2, FP: 2, FN: 1}) {
		t.Errorf("overall %+v", r.Overall)
	}
	if r.ByType["PER"] != (PRF{FP: 1, FN: 1}) || r.ByType["MISC"] != (PRF{FP: 1}) || r.ByType["LOC"] != (PRF{TP: 1}) {
		t.Errorf("by type %+v", r.ByType)
	}
	if r.Tokens != 6 || r.Correct != 4 {
		t.Errorf("tokens %d correct %d", r.Tokens, r.Correct)
	}
}
