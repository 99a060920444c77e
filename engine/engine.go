// Package engine assembles the default pipeline. It is the one place that knows every component.
package engine

import (
	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/clean"
	"github.com/newsgraph/newsgraph/sentence"
	"github.com/newsgraph/newsgraph/tokenize"
)

// New returns the default pipeline: clean-up, tokens, sentences.
func New() (*newsgraph.Pipeline, error) {
	return newsgraph.NewPipeline(
		clean.Component{},
		tokenize.Component{},
		sentence.Component{},
	)
}
