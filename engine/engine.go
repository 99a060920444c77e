// Package engine assembles the default pipeline. It is the one place that knows every component.
package engine

import (
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
func New() (*newsgraph.Pipeline, error) {
	return newsgraph.NewPipeline(
		clean.Component{},
		tokenize.Component{},
		sentence.Component{},
		ner.Component{},
		timex.Component{},
		attrib.Component{},
	)
}

// Entities returns the pipeline up to named entities: what the attribution taggers read, and what
// they are trained on.
func Entities() (*newsgraph.Pipeline, error) {
	return newsgraph.NewPipeline(
		clean.Component{},
		tokenize.Component{},
		sentence.Component{},
		ner.Component{},
	)
}

// Text returns the text pipeline alone: clean-up, tokens and sentences, for what needs no model
// (sentence scoring, case statistics, throughput of the text layers).
func Text() (*newsgraph.Pipeline, error) {
	return newsgraph.NewPipeline(
		clean.Component{},
		tokenize.Component{},
		sentence.Component{},
	)
}

// Timex returns the text pipeline with temporal expressions: what TimeML output needs.
func Timex() (*newsgraph.Pipeline, error) {
	return newsgraph.NewPipeline(
		clean.Component{},
		tokenize.Component{},
		sentence.Component{},
		timex.Component{},
	)
}
