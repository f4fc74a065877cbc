// Command simulator produces observation streams of N patients (package simulator): to stdout
// as JSON lines (one record's data per line; malformed ones included), or into a Kinesis stream
// with PutRecords (partition key: the patient ID), paced in real time or as fast as possible.
//
//	simulator -patients 100 -ticks 60 -abnormal 0.1 -malformed 0.02            # JSON lines
//	simulator -patients 100 -ticks 720 -stream-arn arn:aws:kinesis:...:stream/vitals-dev -realtime
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/carepulse/hipaa-pipeline/services/simulator"
)

type options struct {
	cfg       simulator.Config
	ticks     int
	streamARN string
	// streamName is the name in streamARN: PutRecords names the stream by both (Kinesis accepts
	// either or both; Kinesis-compatible test servers that predate StreamARN need the name).
	streamName string
	realtime   bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.cfg.Patients, "patients", 10, "number of patients")
	fs.IntVar(&o.cfg.Facilities, "facilities", 2, "facilities the patients are spread over")
	fs.DurationVar(&o.cfg.Interval, "interval", 5*time.Second, "time between two measurements of a patient")
	fs.Float64Var(&o.cfg.Abnormal, "abnormal", 0.1, "share of deteriorating patients [0, 1]")
	fs.Float64Var(&o.cfg.Malformed, "malformed", 0.02, "share of malformed or implausible records [0, 1]")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "random seed (same seed, same stream)")
	fs.IntVar(&o.ticks, "ticks", 12, "measurement rounds to produce")
	fs.StringVar(&o.streamARN, "stream-arn", "", "put the records into this Kinesis stream instead of printing them")
	fs.BoolVar(&o.realtime, "realtime", false, "wait -interval between rounds")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.ticks < 1 {
		return options{}, errors.New("-ticks must be at least 1")
	}
	if o.streamARN != "" {
		parts := strings.Split(o.streamARN, ":")
		if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kinesis" || !strings.HasPrefix(parts[5], "stream/") || len(parts[5]) == len("stream/") {
			return options{}, fmt.Errorf("-stream-arn %q is not a Kinesis stream ARN (arn:<partition>:kinesis:<region>:<account>:stream/<name>)", o.streamARN)
		}
		o.streamName = strings.TrimPrefix(parts[5], "stream/")
	}
	return o, nil
}

// emit produces the rounds, handing each to put, waiting between rounds when realtime.
func emit(ctx context.Context, o options, now time.Time, put func(context.Context, []simulator.Record) error) error {
	sim, err := simulator.New(o.cfg, now)
	if err != nil {
		return err
	}
	for i := range o.ticks {
		if i > 0 && o.realtime {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(o.cfg.Interval):
			}
		}
		if err := put(ctx, sim.Next()); err != nil {
			return err
		}
	}
	return nil
}

func lines(w io.Writer) func(context.Context, []simulator.Record) error {
	return func(_ context.Context, recs []simulator.Record) error {
		bw := bufio.NewWriter(w)
		for _, r := range recs {
			if _, err := bw.Write(append(r.Data, '\n')); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		return bw.Flush()
	}
}

func kinesisPut(client *kinesis.Client, arn, name string) func(context.Context, []simulator.Record) error {
	return func(ctx context.Context, recs []simulator.Record) error {
		for len(recs) > 0 {
			n := min(len(recs), 500) // PutRecords' limit
			entries := make([]types.PutRecordsRequestEntry, n)
			for i, r := range recs[:n] {
				entries[i] = types.PutRecordsRequestEntry{Data: r.Data, PartitionKey: aws.String(r.PartitionKey)}
			}
			out, err := client.PutRecords(ctx, &kinesis.PutRecordsInput{StreamARN: aws.String(arn), StreamName: aws.String(name), Records: entries})
			if err != nil {
				return fmt.Errorf("put records: %w", err)
			}
			if c := aws.ToInt32(out.FailedRecordCount); c > 0 {
				return fmt.Errorf("put records: %d of %d refused (throttled?): lower -patients or use -realtime", c, n)
			}
			recs = recs[n:]
		}
		return nil
	}
}

func main() {
	o, err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "simulator:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	put := lines(os.Stdout)
	if o.streamARN != "" {
		awsCfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "simulator: AWS configuration:", err)
			os.Exit(1)
		}
		put = kinesisPut(kinesis.NewFromConfig(awsCfg), o.streamARN, o.streamName)
	}
	if err := emit(ctx, o, time.Now(), put); err != nil {
		fmt.Fprintln(os.Stderr, "simulator:", err)
		os.Exit(1)
	}
}
