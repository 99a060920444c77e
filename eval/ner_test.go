package eval

import (
	"reflect"
	"testing"
)

func TestChunks(t *testing.T) {
	tests := []struct {
		tags []string
		want []Chunk
	}{
		{[]string{"B-PER", "I-PER", "O", "B-LOC"}, []Chunk{{"PER", 0, 2}, {"LOC", 3, 4}}},
		{[]string{"I-PER", "I-PER", "I-LOC"}, []Chunk{{"PER", 0, 2}, {"LOC", 2, 3}}}, // IOB1
		{[]string{"B-PER", "B-PER"}, []Chunk{{"PER", 0, 1}, {"PER", 1, 2}}},
		{[]string{"O", "I-ORG"}, []Chunk{{"ORG", 1, 2}}},
		{[]string{"O", "O"}, nil},
	}
	for _, tt := range tests {
		if got := Chunks(tt.tags); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Chunks(%v) = %v, want %v", tt.tags, got, tt.want)
		}
	}
}

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
