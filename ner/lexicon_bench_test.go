package ner

import "testing"

// BenchmarkLexicon measures parsing the built-in gazetteer, case prior and outlets, done once per
// process on first use.
func BenchmarkLexicon(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parseGazetteer(gazetteerData); err != nil {
			b.Fatal(err)
		}
		if _, err := parseCasePrior(caseData); err != nil {
			b.Fatal(err)
		}
		if _, err := parseOutlets(outletsData); err != nil {
			b.Fatal(err)
		}
	}
}
