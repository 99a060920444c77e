package ner

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
