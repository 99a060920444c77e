package newsgraph

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Component is one step of analysis. It reads the layers it requires and adds the layers it assigns;
// it never edits another component's layer and never rewrites the text.
type Component interface {
	Name() string       // versioned: "sentence.rules.v1"
	Requires() []string // layers it reads
	Assigns() []string  // layers it adds
	Process(ctx context.Context, d *Doc) error
}

// Pipeline runs components in order. NewPipeline checks the contract once, when it is assembled.
type Pipeline struct {
	comps []Component
}

// NewPipeline assembles components, checking that every layer a component requires is assigned by an
// earlier one and that no two components assign the same layer.
func NewPipeline(comps ...Component) (*Pipeline, error) {
	assigned := map[string]string{}
	for _, c := range comps {
		for _, l := range c.Requires() {
			if _, ok := assigned[l]; !ok {
				return nil, fmt.Errorf("pipeline: %s requires layer %q, which no earlier component assigns", c.Name(), l)
			}
		}
		for _, l := range c.Assigns() {
			if prev, ok := assigned[l]; ok {
				return nil, fmt.Errorf("pipeline: %s and %s both assign layer %q", prev, c.Name(), l)
			}
			assigned[l] = c.Name()
		}
	}
	return &Pipeline{comps: comps}, nil
}

// Components returns the component names in order.
func (p *Pipeline) Components() []string {
	names := make([]string, len(p.comps))
	for i, c := range p.comps {
		names[i] = c.Name()
	}
	return names
}

// Process runs every component on d. A component's error is wrapped with its name; a component that
// returns without assigning a layer it promised is an error too.
func (p *Pipeline) Process(ctx context.Context, d *Doc) error {
	return p.process(ctx, d, nil)
}

// ProcessTimed is Process, adding the wall time each component took to times, by the component's
// index in Components (times must have one entry per component). Benchmarks read it.
func (p *Pipeline) ProcessTimed(ctx context.Context, d *Doc, times []time.Duration) error {
	if len(times) != len(p.comps) {
		return fmt.Errorf("ProcessTimed: %d times for %d components", len(times), len(p.comps))
	}
	return p.process(ctx, d, times)
}

func (p *Pipeline) process(ctx context.Context, d *Doc, times []time.Duration) error {
	for i, c := range p.comps {
		if err := ctx.Err(); err != nil {
			return err
		}
		var t0 time.Time
		if times != nil {
			t0 = time.Now()
		}
		err := c.Process(ctx, d)
		if times != nil {
			times[i] += time.Since(t0)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name(), err)
		}
		var missing []string
		for _, l := range c.Assigns() {
			if !d.Has(l) {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: did not assign %s", c.Name(), strings.Join(missing, ", "))
		}
	}
	return nil
}
