// Command mkclusters builds ner/data/clusters.tsv: word clusters learned from unlabeled news text,
// for the NER tagger's features. Each word seen often enough is represented by the words around it
// (the lower-cased word before and after, among the most frequent words, weighted by positive
// pointwise mutual information) and the words are grouped by spherical k-means, first into -fine
// clusters, then those clusters into -coarse ones. Run from the repository root:
//
//	go run ./tools/mkclusters -data ../shared/data/news-text -conll ../shared/data/conll2003/train.txt -out ner/data/clusters.tsv
//
// It is seeded and deterministic. Output lines: "word<TAB>fine<TAB>coarse".
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/conll"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/source"
)

func main() {
	data := flag.String("data", "../shared/data/news-text", "folder of unlabeled news text")
	conllPath := flag.String("conll", "../shared/data/conll2003/train.txt", "CoNLL file whose words (not tags) are added to the text; empty for none")
	out := flag.String("out", "ner/data/clusters.tsv", "output file")
	minCount := flag.Int("min", 5, "cluster words seen at least this often")
	contexts := flag.Int("contexts", 2000, "context words: the most frequent lower-cased words")
	fine := flag.Int("fine", 512, "fine clusters")
	coarse := flag.Int("coarse", 64, "coarse clusters")
	iters := flag.Int("iters", 8, "k-means iterations")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	die := func(err error) {
		fmt.Fprintln(os.Stderr, "mkclusters:", err)
		os.Exit(1)
	}
	var sents [][]string
	p, err := engine.Text()
	if err != nil {
		die(err)
	}
	ctx := context.Background()
	err = source.Read(ctx, []string{*data}, source.Options{}, func(it source.Item) error {
		if it.Err != nil {
			return nil
		}
		d := newsgraph.NewDoc(it.Text, it.Meta)
		if err := p.Process(ctx, d); err != nil {
			return err
		}
		toks := d.Layer(newsgraph.LayerTokens)
		for _, s := range d.Layer(newsgraph.LayerSentences) {
			a, b := newsgraph.Covering(toks, s.Start, s.End)
			w := make([]string, 0, b-a)
			for _, t := range toks[a:b] {
				w = append(w, d.SpanText(t))
			}
			sents = append(sents, w)
		}
		return nil
	})
	if err != nil {
		die(err)
	}
	if *conllPath != "" {
		f, err := os.Open(*conllPath)
		if err != nil {
			die(err)
		}
		docs, err := conll.Read(f)
		f.Close()
		if err != nil {
			die(err)
		}
		for _, d := range docs {
			for _, s := range d.Sentences {
				sents = append(sents, s.Tokens())
			}
		}
	}
	// Vocabulary and context words, most frequent first (ties by the word, for determinism).
	count := map[string]int{}
	lower := map[string]int{}
	total := 0
	for _, s := range sents {
		for _, w := range s {
			count[w]++
			lower[strings.ToLower(w)]++
			total++
		}
	}
	vocab := byCount(count, *minCount)
	ctxWords := byCount(lower, 1)
	if len(ctxWords) > *contexts {
		ctxWords = ctxWords[:*contexts]
	}
	ci := map[string]int{}
	for i, w := range ctxWords {
		ci[w] = i
	}
	vi := map[string]int{}
	for i, w := range vocab {
		vi[w] = i
	}
	dims := 2 * len(ctxWords)
	co := make([]map[int]float64, len(vocab))
	for i := range co {
		co[i] = map[int]float64{}
	}
	ctxTotal := make([]float64, dims)
	for _, s := range sents {
		for k, w := range s {
			i, ok := vi[w]
			if !ok {
				continue
			}
			if k > 0 {
				if j, ok := ci[strings.ToLower(s[k-1])]; ok {
					co[i][j]++
					ctxTotal[j]++
				}
			}
			if k+1 < len(s) {
				if j, ok := ci[strings.ToLower(s[k+1])]; ok {
					co[i][len(ctxWords)+j]++
					ctxTotal[len(ctxWords)+j]++
				}
			}
		}
	}
	var grand float64
	for _, c := range ctxTotal {
		grand += c
	}
	// PPMI vectors, L2-normalised, sparse and sorted by dimension.
	vecs := make([][]entry, len(vocab))
	for i, m := range co {
		var wt float64
		for _, c := range m {
			wt += c
		}
		var e []entry
		var norm float64
		for j, c := range m {
			pmi := math.Log(c * grand / (wt * ctxTotal[j]))
			if pmi > 0 {
				e = append(e, entry{j, float32(pmi)})
				norm += pmi * pmi
			}
		}
		sort.Slice(e, func(a, b int) bool { return e[a].j < e[b].j })
		for k := range e {
			e[k].v /= float32(math.Sqrt(norm))
		}
		vecs[i] = e
	}
	// Spherical k-means, centroids stored by dimension so a word's dot products run over them
	// contiguously.
	rng := rand.New(rand.NewSource(*seed))
	kmeans := func(n, k int, vec func(int) []entry, weight func(int) float64) []int {
		cent := make([]float32, dims*k) // cent[j*k+c]
		// Initialise with k distinct items drawn by weight.
		chosen := map[int]bool{}
		var cum []float64
		var sum float64
		for i := 0; i < n; i++ {
			sum += weight(i)
			cum = append(cum, sum)
		}
		for c := 0; c < k; {
			x := rng.Float64() * sum
			i := sort.SearchFloat64s(cum, x)
			if i >= n || chosen[i] || len(vec(i)) == 0 {
				continue
			}
			chosen[i] = true
			for _, e := range vec(i) {
				cent[e.j*k+c] = e.v
			}
			c++
		}
		assign := make([]int, n)
		score := make([]float32, k)
		for it := 0; it < *iters; it++ {
			changed := 0
			for i := 0; i < n; i++ {
				for c := range score {
					score[c] = 0
				}
				for _, e := range vec(i) {
					row := cent[e.j*k : e.j*k+k]
					for c, v := range row {
						score[c] += e.v * v
					}
				}
				best := 0
				for c := 1; c < k; c++ {
					if score[c] > score[best] {
						best = c
					}
				}
				if it == 0 || assign[i] != best {
					changed++
				}
				assign[i] = best
			}
			for j := range cent {
				cent[j] = 0
			}
			for i := 0; i < n; i++ {
				for _, e := range vec(i) {
					cent[e.j*k+assign[i]] += e.v * float32(weight(i))
				}
			}
			norms := make([]float64, k)
			for j := 0; j < dims; j++ {
				for c := 0; c < k; c++ {
					v := float64(cent[j*k+c])
					norms[c] += v * v
				}
			}
			for j := 0; j < dims; j++ {
				for c := 0; c < k; c++ {
					if norms[c] > 0 {
						cent[j*k+c] /= float32(math.Sqrt(norms[c]))
					}
				}
			}
			fmt.Fprintf(os.Stderr, "k=%d iteration %d: %d of %d moved\n", k, it+1, changed, n)
		}
		// The centroids, as sparse vectors, for the next level.
		lastCent = make([][]entry, k)
		for j := 0; j < dims; j++ {
			for c := 0; c < k; c++ {
				if v := cent[j*k+c]; v != 0 {
					lastCent[c] = append(lastCent[c], entry{j, v})
				}
			}
		}
		return assign
	}
	fineOf := kmeans(len(vocab), *fine, func(i int) []entry { return vecs[i] }, func(i int) float64 { return math.Sqrt(float64(count[vocab[i]])) })
	fineCent := lastCent
	coarseOf := kmeans(*fine, *coarse, func(c int) []entry { return fineCent[c] }, func(int) float64 { return 1 })
	f, err := os.Create(*out)
	if err != nil {
		die(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "# Built by `go run ./tools/mkclusters` (seed %d) from %d sentences, %d tokens of ../shared/data/news-text\n# and the words of CoNLL-2003 train: word, fine cluster (of %d), coarse cluster (of %d).\n", *seed, len(sents), total, *fine, *coarse)
	sorted := append([]string(nil), vocab...)
	sort.Strings(sorted)
	for _, w := range sorted {
		i := vi[w]
		fmt.Fprintf(bw, "%s\t%d\t%d\n", w, fineOf[i], coarseOf[fineOf[i]])
	}
	if err := bw.Flush(); err != nil || f.Close() != nil {
		die(fmt.Errorf("writing %s", *out))
	}
	fmt.Printf("wrote %s: %d words\n", *out, len(vocab))
}

// entry is one dimension of a sparse vector.
type entry struct {
	j int
	v float32
}

// lastCent holds the centroids of the last k-means run, as sparse vectors.
var lastCent [][]entry

// byCount returns the keys with at least min occurrences, most frequent first, ties by the key.
func byCount(m map[string]int, min int) []string {
	var out []string
	for w, c := range m {
		if c >= min {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if m[out[a]] != m[out[b]] {
			return m[out[a]] > m[out[b]]
		}
		return out[a] < out[b]
	})
	return out
}
