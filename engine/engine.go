// Package engine assembles the default pipeline. It is the one place that knows every component.
package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/clean"
	"github.com/newsgraph/newsgraph/ner"
	"github.com/newsgraph/newsgraph/sentence"
	"github.com/newsgraph/newsgraph/timex"
	"github.com/newsgraph/newsgraph/tokenize"
)

// New returns the default pipeline: clean-up, tokens, sentences, named entities, temporal
// expressions, attributions.
func New() (*newsgraph.Pipeline, error) { return WithLayers(nil) }

// Entities returns the pipeline up to named entities: what the attribution taggers read, and what
// they are trained on.
func Entities() (*newsgraph.Pipeline, error) {
	return WithLayers([]string{newsgraph.LayerEntities})
}

// Text returns the text pipeline alone: clean-up, tokens and sentences, for what needs no model
// (sentence scoring, case statistics, throughput of the text layers).
func Text() (*newsgraph.Pipeline, error) { return newsgraph.NewPipeline(text()...) }

// text returns the components every pipeline starts with.
func text() []newsgraph.Component {
	return []newsgraph.Component{clean.Component{}, tokenize.Component{}, sentence.Component{}}
}

// Timex returns the text pipeline with temporal expressions: what TimeML output needs.
func Timex() (*newsgraph.Pipeline, error) {
	return WithLayers([]string{newsgraph.LayerTimexes})
}

// Layers are the analysis layers a pipeline can be asked for besides the text layers every
// pipeline gives (paragraphs, boilerplate, tokens, sentences), in the order they run.
var Layers = []string{newsgraph.LayerEntities, newsgraph.LayerTimexes, newsgraph.LayerAttributions}

// WithLayers returns the pipeline that gives the named layers of Layers (every one of them for
// none): attributions read the entities, which come with them. The `quotes` layer comes with
// attributions. A name not in Layers is an error that lists them.
func WithLayers(names []string) (*newsgraph.Pipeline, error) {
	return NewWithOptions(Options{Layers: names})
}

// Options configure a pipeline.
type Options struct {
	// Layers: as WithLayers takes them (none: every one).
	Layers []string
	// MinSpeakerConfidence is the attribution component's (attrib.Component): below it a speaker
	// is not named; zero: attrib.DefaultMinSpeakerConfidence; negative: every guess is named.
	MinSpeakerConfidence float64
}

// NewWithOptions returns the pipeline the options ask for.
func NewWithOptions(o Options) (*newsgraph.Pipeline, error) {
	names := o.Layers
	want := map[string]bool{}
	for _, n := range names {
		if !slices.Contains(Layers, n) {
			return nil, fmt.Errorf("unknown layer %q (the layers: %s)", n, strings.Join(Layers, ", "))
		}
		want[n] = true
	}
	if len(want) == 0 {
		for _, n := range Layers {
			want[n] = true
		}
	}
	comps := text()
	if want[newsgraph.LayerEntities] || want[newsgraph.LayerAttributions] {
		comps = append(comps, ner.Component{})
	}
	if want[newsgraph.LayerTimexes] {
		comps = append(comps, timex.Component{})
	}
	if want[newsgraph.LayerAttributions] {
		comps = append(comps, attrib.Component{MinSpeakerConfidence: o.MinSpeakerConfidence})
	}
	return newsgraph.NewPipeline(comps...)
}

// ParseLayers reads a --layers value: names of Layers separated by commas; "all" stands for every
// one of them.
func ParseLayers(s string) ([]string, error) {
	var out []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n == "all" {
			return slices.Clone(Layers), nil
		}
		if !slices.Contains(Layers, n) {
			return nil, fmt.Errorf("unknown layer %q in --layers (all, or some of: %s)", n, strings.Join(Layers, ", "))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
