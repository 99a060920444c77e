package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
)

// loadExamples reads a PolNeAR-style folder and runs each article through the pipeline up to
// entities, as analyze would.
func loadExamples(ctx context.Context, dir string, all bool) ([]attrib.Example, error) {
	exs, _, err := loadExamplesArticles(ctx, dir, all)
	return exs, err
}

func loadExamplesArticles(ctx context.Context, dir string, all bool) ([]attrib.Example, []attrib.Article, error) {
	arts, err := attrib.LoadPolNeAR(dir, all)
	if err != nil {
		return nil, nil, err
	}
	p, err := engine.Entities()
	if err != nil {
		return nil, nil, err
	}
	exs := make([]attrib.Example, 0, len(arts))
	for _, a := range arts {
		d := newsgraph.NewDoc(a.Text, newsgraph.Meta{Input: newsgraph.Input{Path: filepath.Join(dir, "text", a.TextName+".txt")}})
		if err := p.Process(ctx, d); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		exs = append(exs, attrib.Example{Doc: d, Relations: a.Relations})
	}
	return exs, arts, nil
}

func runTrainAttrib(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("train attrib", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	trainDir := fs.String("train", "", "PolNeAR-style training folder (text/, attributions/)")
	devDir := fs.String("dev", "", "PolNeAR-style development folder, scored after training")
	out := fs.String("out", "", "directory to write model.bin into")
	epochs := fs.Int("epochs", 8, "passes over the training data, per tagger")
	seed := fs.Int64("seed", 1, "random seed; the same seed and data give the same model")
	cueMinW := fs.Float64("cue-min-weight", 1, "drop cue-tagger feature rows whose averaged weights are all smaller than this")
	roleMinW := fs.Float64("role-min-weight", 5, "drop role-tagger feature rows whose averaged weights are all smaller than this")
	cueHeads := fs.Bool("cue-heads", false, "train the cue tagger on the content words of each cue only")
	negatives := fs.Bool("negatives", true, "train the role tagger on verbs and cue words without a relation too, so it can reject a proposed cue")
	negEvery := fs.Int("neg-every", 10, "with --negatives: keep one negative in this many")
	cueBias := fs.Float64("cue-bias", 3, "added to the cue tagger's cue scores: higher proposes more cues, for the role tagger to reject")
	allAnn := fs.Bool("all-annotators", true, "train on every annotator's file of an article annotated several times (else the lowest annotator id's)")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || *trainDir == "" || *out == "" {
		fmt.Fprintln(e.stderr, "newsgraph train attrib: give --train DIR and --out DIR (and --dev DIR)")
		return exitUsage
	}
	start := time.Now()
	exs, err := loadExamples(ctx, *trainDir, *allAnn)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "read %d training articles in %.0f s\n", len(exs), time.Since(start).Seconds())
	m, err := attrib.Train(exs, attrib.TrainOptions{Epochs: *epochs, Seed: *seed, Log: e.stdout, Negatives: *negatives, NegEvery: *negEvery, CueHeads: *cueHeads, CueMinWeight: float32(*cueMinW), RoleMinWeight: float32(*roleMinW), CueBias: float32(*cueBias)})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
		return exitFail
	}
	if *devDir != "" {
		dev, err := loadExamples(ctx, *devDir, false)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph train: %v\n", err)
			return exitFail
		}
		attrib.Evaluate(m, dev).Write(e.stdout)
		fmt.Fprintln(e.stdout, "with the gold cues:")
		attrib.EvaluateGoldCues(m, dev).Write(e.stdout)
	}
	return writeModel(e, *out, m.Save, start)
}

func runEvalAttrib(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("eval attribution", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	modelPath := fs.String("model", "", "model file (default: the built-in model)")
	predDir := fs.String("pred", "", "score the brat files NAME.ann in this directory (another system's output, or analyze --format brat --out) instead of running the model")
	rules := fs.Bool("rules", false, "score the rule baseline (reporting verbs, the noun phrase before, the clause after) instead of the model")
	noSubject := fs.Bool("no-subject-cues", false, "leave out the reporting verbs after a named subject that the cue tagger passed over (an ablation)")
	agreement := fs.Bool("agreement", false, "score the annotators against each other instead: on each article of GOLD_DIR annotated several times, every other annotator's relations against the lowest annotator id's, pooled (the ceiling the metric allows)")
	noLayout := fs.Bool("no-layout", false, "leave out the attributions the layout makes: quotations signed with a dash, a name and a colon opening a paragraph (an ablation)")
	noClause := fs.Bool("no-clause-contents", false, "leave contents as the role tagger ends them: no \"that\" clause or quotation run on to its end, no reporting clause dropped after a quotation (an ablation)")
	noInfer := fs.Bool("no-inferred-sources", false, "leave sources to the role tagger alone: no phrase after an inverted reporting verb (\"…, said the minister\"), no source carried to a participle (\"…, adding …\") (an ablation)")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval attribution [--model FILE | --pred DIR] GOLD_DIR")
		return exitUsage
	}
	if *agreement {
		exs, arts, err := loadExamplesArticles(ctx, rest[0], true)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		// Articles come sorted by name, so an article's annotators are adjacent, lowest id first.
		var gold []attrib.Example
		var pred [][]attrib.Relation
		pairs, articles := 0, 0
		for i := 0; i < len(arts); {
			j := i + 1
			for j < len(arts) && arts[j].TextName == arts[i].TextName {
				j++
			}
			if j-i > 1 {
				articles++
			}
			for k := i + 1; k < j; k++ {
				gold = append(gold, exs[i])
				pred = append(pred, arts[k].Relations)
				pairs++
			}
			i = j
		}
		if pairs == 0 {
			fmt.Fprintf(e.stderr, "newsgraph eval: %s: no article is annotated more than once\n", rest[0])
			return exitFail
		}
		s, err := attrib.EvaluateRelations(gold, pred)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(e.stdout, "annotator agreement: %d articles annotated several times, %d pairs (each other annotator against the lowest id)\n", articles, pairs)
		s.Write(e.stdout)
		return exitOK
	}
	if *rules {
		exs, err := loadExamples(ctx, rest[0], false)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		s, err := attrib.EvaluateRules(exs)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		s.Write(e.stdout)
		return exitOK
	}
	if *predDir != "" && (*modelPath != "" || *noSubject || *noLayout || *noInfer || *noClause) {
		fmt.Fprintln(e.stderr, "newsgraph eval attribution: --pred scores brat files; --model and the --no-… ablations concern the model, which it does not run")
		return exitUsage
	}
	if *predDir != "" {
		exs, arts, err := loadExamplesArticles(ctx, rest[0], false)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		pred := make([][]attrib.Relation, len(arts))
		for i, a := range arts {
			p, err := attrib.ReadArticle(a.Name, a.Text, filepath.Join(*predDir, a.Name+".ann"))
			if err != nil {
				fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
				return exitFail
			}
			pred[i] = p.Relations
		}
		s, err := attrib.EvaluateRelations(exs, pred)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		s.Write(e.stdout)
		return exitOK
	}
	m, err := attribModel(*modelPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
		return exitFail
	}
	if *noSubject || *noLayout || *noInfer || *noClause {
		c := *m
		c.SubjectCues = c.SubjectCues && !*noSubject
		c.Layout = c.Layout && !*noLayout
		c.InferSources = c.InferSources && !*noInfer
		c.ClauseContents = c.ClauseContents && !*noClause
		m = &c
	}
	exs, err := loadExamples(ctx, rest[0], false)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
		return exitFail
	}
	attrib.Evaluate(m, exs).Write(e.stdout)
	return exitOK
}

func attribModel(path string) (*attrib.Model, error) {
	return modelFile(path, attrib.Default, attrib.LoadBytes)
}
