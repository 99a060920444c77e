package timex

import (
	"testing"

	"github.com/newsgraph/newsgraph/models"
)

// BenchmarkLoad measures parsing the built-in model (what the first document pays).
//
//	go test ./timex -run XXX -bench Load -cpu 1
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		m, err := LoadBytes(models.Timex)
		if err != nil || m.tagger == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve measures the resolver alone on a mix of expressions.
func BenchmarkResolve(b *testing.B) {
	exprs := [][]string{{"wednesday"}, {"last", "month"}, {"a", "week"}, {"july", "15", ",", "2015"}, {"the", "third", "quarter"}, {"two", "days", "later"}}
	c := env{dct: day("2015-07-16"), hasDC: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, e := range exprs {
			if resolve(e, "DATE", c).Value == "" {
				b.Fatal(e)
			}
		}
	}
}
