package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Formats are the output formats, by their name on the command line.
var Formats = []string{"md", "html", "json", "sarif"}

// FileNames are the files Write creates, by format.
var FileNames = map[string]string{"md": "report.md", "html": "report.html", "json": "report.json", "sarif": "report.sarif"}

// Render writes the report in one format.
func Render(w io.Writer, r *Report, format string) error {
	switch format {
	case "md":
		return Markdown(w, r)
	case "html":
		return HTML(w, r)
	case "json":
		return JSON(w, r)
	case "sarif":
		return SARIF(w, r)
	}
	return fmt.Errorf("unknown report format %q (want one of %v)", format, Formats)
}

// Write renders every format into dir. Every file is rendered in memory first and replaced
// atomically, so a failure leaves no half-written report.
func Write(dir string, r *Report) error {
	rendered := map[string][]byte{}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Render(&b, r, f); err != nil {
			return err
		}
		rendered[f] = b.Bytes()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	formats := slices.Clone(Formats)
	for _, f := range formats {
		path := filepath.Join(dir, FileNames[f])
		tmp, err := os.CreateTemp(dir, "."+FileNames[f]+".*")
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		_, werr := tmp.Write(rendered[f])
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), path)
		}
		if werr != nil {
			_ = os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, werr)
		}
	}
	return nil
}
