package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/newsgraph/newsgraph/eval"
	"github.com/newsgraph/newsgraph/source"
)

func runEval(ctx context.Context, e env, args []string) int {
	if len(args) > 0 && args[0] == "ner" {
		return runEvalNER(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "attribution" {
		return runEvalAttrib(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "timex" {
		return runEvalTimex(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "extraction" {
		return runEvalExtraction(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "speakers" {
		return runEvalSpeakers(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "sentences" {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval sentences [--gum DIR] [--golden FILE] [--errors]\n       newsgraph eval ner [--tag] FILE|-\n       newsgraph eval attribution [--model FILE | --pred DIR | --rules] GOLD_DIR\n       newsgraph eval timex [--model FILE] GOLD_DIR [PRED_DIR]\n       newsgraph eval extraction [--pred FILE.json] DIR\n       newsgraph eval speakers --set FILE [--set FILE ...] [--errors]")
		return exitUsage
	}
	fs := flag.NewFlagSet("eval sentences", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	gum := fs.String("gum", "", "directory of GUM-style gold: <doc>.txt with <doc>.sentences.tsv (start, end, text in code points)")
	golden := fs.String("golden", "", "Golden Rules JSON file ([{name, input, output}])")
	showErr := fs.Bool("errors", false, "print each wrong boundary with its context")
	rest, code, ok := parseArgs(fs, args[1:])
	if !ok {
		return code
	}
	if len(rest) > 0 || *gum == "" && *golden == "" {
		fmt.Fprintln(e.stderr, "newsgraph eval sentences: give --gum DIR and/or --golden FILE")
		return exitUsage
	}
	if *gum != "" {
		r, err := eval.GUM(ctx, *gum)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(e.stdout, "GUM news (%s): %d documents, %d gold sentences\n", *gum, r.Docs, r.Gold)
		fmt.Fprintf(e.stdout, "  all boundaries:         P %.4f  R %.4f  F1 %.4f  (tp %d, fp %d, fn %d)\n", r.All.P(), r.All.R(), r.All.F1(), r.All.TP, r.All.FP, r.All.FN)
		fmt.Fprintf(e.stdout, "  inside paragraphs only: P %.4f  R %.4f  F1 %.4f  (tp %d, fp %d, fn %d)\n", r.Inner.P(), r.Inner.R(), r.Inner.F1(), r.Inner.TP, r.Inner.FP, r.Inner.FN)
		fmt.Fprintf(e.stdout, "  exact sentences:        %d of %d gold\n", r.ExactSentences, r.Gold)
		if *showErr {
			for _, m := range r.Errors {
				fmt.Fprintln(e.stdout, "  "+m)
			}
		}
	}
	if *golden != "" {
		r, err := eval.GoldenRules(ctx, *golden)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(e.stdout, "Golden Rules (%s): %d of %d cases pass (%.1f%%)\n", *golden, r.Passed, r.Cases, 100*float64(r.Passed)/float64(r.Cases))
		for _, f := range r.Failed {
			fmt.Fprintf(e.stdout, "  fail %s\n", f)
		}
	}
	return exitOK
}

func runEvalExtraction(_ context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("eval extraction", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pred := fs.String("pred", "", "score this JSON file of another system's output ({\"output\": {id: {\"articleBody\": …}}}) instead of running the extractor")
	pages := fs.Bool("pages", false, "print each page's scores, worst first")
	focus := fs.String("focus", source.DefaultExtraction.Focus, "go-trafilatura's focus: precision, balanced or recall")
	fallback := fs.Bool("fallback", source.DefaultExtraction.Fallback, "let go-trafilatura try its fallback extractors")
	dropLinks := fs.Bool("drop-link-blocks", false, "leave out short blocks that are one link (related stories' headlines)")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval extraction [--pred FILE.json] [--pages] DIR (html/<id>.html.gz and ground-truth.json)")
		return exitUsage
	}
	dir := rest[0]
	var r *eval.Extraction
	if *pred != "" {
		truth, err := eval.ReadArticleBodies(filepath.Join(dir, "ground-truth.json"))
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		out, err := eval.ReadArticleBodies(*pred)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
		for id := range truth { // score the pages the output covers (the dev half)
			if _, ok := out[id]; !ok {
				delete(truth, id)
			}
		}
		r = eval.ScoreExtraction(truth, out)
	} else {
		var err error
		if *focus != "precision" && *focus != "balanced" && *focus != "recall" {
			fmt.Fprintf(e.stderr, "newsgraph eval extraction: unknown --focus %q (precision, balanced, recall)\n", *focus)
			return exitUsage
		}
		x := source.Extraction{Focus: *focus, Fallback: *fallback}
		if *dropLinks {
			x = x.WithLinkBlocksDropped()
		}
		if r, _, err = eval.ExtractionBenchmarkWith(dir, x); err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
			return exitFail
		}
	}
	for _, m := range r.Errors {
		fmt.Fprintf(e.stderr, "newsgraph eval: %s (scored as empty)\n", m)
	}
	fmt.Fprintf(e.stdout, "pages %d (no text from %d)\n", r.Pages, r.Failed)
	fmt.Fprintf(e.stdout, "F1        %.3f ± %.3f\nprecision %.3f ± %.3f\nrecall    %.3f ± %.3f\naccuracy  %.3f (exact token sequence)\n", r.F1, r.F1Std, r.P, r.PStd, r.R, r.RStd, r.Accuracy)
	for h := 0; h < 2; h++ {
		p, rc, f := r.Half(h)
		fmt.Fprintf(e.stdout, "half %d    F1 %.3f, precision %.3f, recall %.3f (pages in id order, every other one from the %s)\n", h+1, f, p, rc, []string{"first", "second"}[h])
	}
	if *pages {
		ps := append([]eval.PageScore(nil), r.PerPage...)
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].FP+ps[i].FN > ps[j].FP+ps[j].FN })
		for _, p := range ps {
			fmt.Fprintf(e.stdout, "%s  tp %.3f  fp %.3f  fn %.3f  exact %v\n", p.ID, p.TP, p.FP, p.FN, p.Exact)
		}
	}
	return exitOK
}
