package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/attrib"
	"github.com/newsgraph/newsgraph/engine"
	"github.com/newsgraph/newsgraph/eval"
)

// calibrationEdges are the confidence bins the speaker reports print.
var calibrationEdges = []float64{0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01}

type setList []string

func (s *setList) String() string     { return strings.Join(*s, ",") }
func (s *setList) Set(v string) error { *s = append(*s, v); return nil }

// speakerFlags are the flags train speakers and eval speakers share.
func speakerFlags(fs *flag.FlagSet) (*setList, *string, *string) {
	var sets setList
	fs.Var(&sets, "set", "a speaker set (TSV: file, start, end, quotation, speaker, how; docs/eval.md); repeat for several")
	bbc := fs.String("bbc", "../shared/data/news-text/bbc", "the BBC corpus the sets' BBC rows name")
	pages := fs.String("pages", "../shared/data/article-extraction", "the article-extraction benchmark the sets' pages/ rows name")
	return &sets, bbc, pages
}

func readSets(sets []string) ([]eval.SpeakerRow, error) {
	var rows []eval.SpeakerRow
	for _, s := range sets {
		r, err := eval.ReadSpeakerSet(s)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

func printPR(e env, label string, p eval.PR) {
	fmt.Fprintf(e.stdout, "%-28s precision %4d / %4d = %.3f   recall %4d / %4d = %.3f\n", label, p.Right, p.Named, p.P(), p.Right, p.Speech, p.R())
}

func printCalibration(e env, bins []eval.Bin) {
	fmt.Fprintln(e.stdout, "confidence    guesses  right  share right  mean confidence")
	for _, b := range bins {
		if b.Guesses == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "[%.2f, %.2f)  %7d  %5d  %11.3f  %15.3f\n", b.Lo, min(b.Hi, 1), b.Guesses, b.Right, b.RightByWhole, b.Confidence)
	}
}

func runTrainSpeakers(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("train speakers", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	sets, bbc, pages := speakerFlags(fs)
	out := fs.String("out", "", "file to write the ranker's weights to (models/speakers/weights.tsv)")
	epochs := fs.Int("epochs", 30, "passes over the examples")
	l2 := fs.Float64("l2", 0.01, "L2 penalty on the weights")
	cvErrors := fs.Bool("errors", false, "with --cv: print each unit whose held-out speaker is wrong or missing")
	minP := fs.Float64("precision", 0.9, "the threshold written is the smallest confidence (in steps of 0.05) at which the cross-validated speakers reach this precision")
	cv := fs.Int("cv", 0, "K-fold cross-validation by document instead of (or, with --out, before) training: precision, recall and calibration of the held-out predictions")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || len(*sets) == 0 || *out == "" && *cv < 2 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph train speakers --set FILE [--set FILE ...] --cv K [--out FILE] [--epochs N] [--l2 X] [--precision P]")
		return exitUsage
	}
	if *out != "" && *cv < 2 {
		fmt.Fprintln(e.stderr, "newsgraph train speakers: --out needs --cv K (K >= 2): the calibration and the threshold come from the held-out predictions")
		return exitUsage
	}
	rows, err := readSets(*sets)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train speakers: %v\n", err)
		return exitFail
	}
	p, err := engine.Entities()
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train speakers: %v\n", err)
		return exitFail
	}
	m, err := attrib.Default()
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train speakers: %v\n", err)
		return exitFail
	}
	exs, err := eval.RankerExamples(ctx, p, m, eval.SpeakerData{BBC: *bbc, Pages: *pages}, rows)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train speakers: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "%d quotations of %d sets give %d units to rank\n", len(rows), len(*sets), len(exs))
	us := eval.CrossValidateRanker(exs, *cv, *epochs, *l2)
	cals, cal := eval.CalibrateUnits(us)
	fmt.Fprintf(e.stdout, "%d-fold cross-validation by document, %d epochs, l2 %g; held-out probabilities calibrated as σ(A·logit(p) + B), ranker A %.3f B %+.3f, the resolver's speakers A %.3f B %+.3f:\n", *cv, *epochs, *l2, cals[0][0], cals[0][1], cals[1][0], cals[1][1])
	var summary []string
	for _, t := range []float64{0, 0.5, 0.6, 0.7, 0.8, 0.9} {
		pr := eval.UnitPR(cal, t)
		printPR(e, fmt.Sprintf("  confidence >= %.2f", t), pr)
		summary = append(summary, fmt.Sprintf("at %.2f: P %.3f R %.3f", t, pr.P(), pr.R()))
	}
	threshold, at := eval.ChooseThreshold(cal, *minP)
	fmt.Fprintf(e.stdout, "threshold (the smallest with precision >= %.2f): %.2f, precision %.3f, recall %.3f\n", *minP, threshold, at.P(), at.R())
	printCalibration(e, eval.UnitCalibration(cal, calibrationEdges))
	hr := eval.HowRight(us)
	hows := make([]string, 0, len(hr))
	for h := range hr {
		hows = append(hows, h)
	}
	sort.Strings(hows)
	fmt.Fprint(e.stdout, "the resolver's speakers right, by how it read them (smoothed):")
	for _, h := range hows {
		fmt.Fprintf(e.stdout, " %s %.3f", h, hr[h])
	}
	fmt.Fprintln(e.stdout)
	if *cvErrors {
		for i, u := range cal {
			if u.Right && u.Confidence >= threshold || !u.Speech && u.Confidence < threshold {
				continue
			}
			fmt.Fprintf(e.stdout, "  %s %q: %q (%.2f, the resolver's: %v); reader %q\n", exs[i].Group, clip(exs[i].Text, 50), u.Guess, u.Confidence, u.FromRule, exs[i].Gold)
		}
	}
	if *out == "" {
		return exitOK
	}
	rk := attrib.TrainRanker(exs, *epochs, *l2)
	rk.Cal, rk.Threshold, rk.HowRight = cals, threshold, eval.HowRight(us)
	comment := fmt.Sprintf("newsgraph speaker ranker: newsgraph train speakers --set %s --cv %d --epochs %d --l2 %g --out FILE\n%d units from %d quotations",
		strings.Join(relSets(*sets), " --set "), *cv, *epochs, *l2, len(exs), len(rows))
	comment += fmt.Sprintf("\n%d-fold CV, calibrated: %s; threshold %.2f (the smallest with precision >= %.2f)", *cv, strings.Join(summary, "; "), threshold, *minP)
	f, err := os.Create(*out)
	if err == nil {
		err = rk.Write(f, comment)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph train speakers: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	return exitOK
}

// relSets names the sets as given, with forward slashes: the command line the weights file records.
func relSets(sets []string) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = filepath.ToSlash(s)
	}
	return out
}

// speakerThreshold turns the --min-speaker-confidence of the command line into the component's:
// negative (the flag's default) is the model's threshold, 0 there; 0 (every guess named) is
// negative there.
func speakerThreshold(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x == 0:
		return -1
	}
	return x
}

// minSpeakerFlag defines --min-speaker-confidence.
func minSpeakerFlag(fs *flag.FlagSet) *float64 {
	return fs.Float64("min-speaker-confidence", -1, "name a speaker only when its confidence (0 to 1) is at least this; below it the attribution keeps its source and the speaker is a guess (speaker_guess); 0 names every guess; default: the built-in model's threshold, chosen for 90% precision on held-out labelled quotations (models/speakers)")
}

func runEvalSpeakers(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("eval speakers", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	sets, bbc, pages := speakerFlags(fs)
	minConf := minSpeakerFlag(fs)
	errs := fs.Bool("errors", false, "print each quotation whose speaker is wrong or missing")
	rest, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 || len(*sets) == 0 {
		fmt.Fprintln(e.stderr, "Usage: newsgraph eval speakers --set FILE [--set FILE ...] [--min-speaker-confidence X] [--errors]")
		return exitUsage
	}
	p, err := engine.NewWithOptions(engine.Options{MinSpeakerConfidence: speakerThreshold(*minConf)})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph eval speakers: %v\n", err)
		return exitFail
	}
	data := eval.SpeakerData{BBC: *bbc, Pages: *pages}
	all := &eval.SpeakerScore{}
	for _, set := range *sets {
		rows, err := eval.ReadSpeakerSet(set)
		var docs map[string]*newsgraph.Doc
		if err == nil {
			docs, err = eval.Analyze(ctx, p, data, rows)
		}
		var s *eval.SpeakerScore
		if err == nil {
			s, err = eval.ScoreSpeakers(docs, rows)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph eval speakers: %v\n", err)
			return exitFail
		}
		pr := s.At(-1)
		fmt.Fprintf(e.stdout, "%s: %d quotations, %d of them speech, %d nobody's words; %d speech quotations not found as quotations\n", set, len(s.Results), pr.Speech, pr.Nobody, pr.Missed)
		printPR(e, "  speakers named", pr)
		if *errs {
			for _, r := range s.Results {
				if attrib.SameSpeaker(r.Row.Speaker, r.Name) {
					continue
				}
				fmt.Fprintf(e.stdout, "  %s %d: %q → %q (guess %q, %.2f); reader: %q (%s)\n", r.Row.File, r.Row.Start, clip(r.Row.Text, 60), r.Name, r.Guess, r.Confidence, r.Row.Speaker, r.Row.How)
			}
		}
		all.Results = append(all.Results, s.Results...)
	}
	if len(*sets) > 1 {
		printPR(e, "all sets", all.At(-1))
	}
	fmt.Fprintln(e.stdout, "precision and recall by threshold (all sets):")
	for _, t := range []float64{0, 0.5, 0.6, 0.7, 0.8, 0.9} {
		printPR(e, fmt.Sprintf("  confidence >= %.2f", t), all.At(t))
	}
	printCalibration(e, all.Calibration(calibrationEdges))
	return exitOK
}
