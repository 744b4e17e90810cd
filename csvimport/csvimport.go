// Package csvimport reads the CSV files Mentorpulse imports (members,
// meetings) under one policy: one byte limit, one row limit, an optional
// header checked against the kind's columns, and one way to report a row
// that cannot be taken. Each kind supplies a parser for its rows and an
// apply step that writes one row.
package csvimport

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Limits of one import. A file over either is refused whole, before any row
// is applied.
const (
	// MaxBytes bounds an import file; HTTP handlers cap request bodies with it.
	MaxBytes = 2 << 20
	// MaxRows bounds an import's data rows (the header and blank lines aside).
	MaxRows = 5000
)

// Error is one row that was not applied, by the line it starts on.
type Error struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Result is what an import did with the file's rows. The kind's apply step
// counts its own outcomes (created, updated, skipped).
type Result struct {
	// Rows is the number of data rows in the file, applied or not.
	Rows int
	// Errors lists the rows not applied, in file order; never nil.
	Errors []Error
}

// Columns describes a kind's columns.
type Columns struct {
	// Names lists every column, in the order a file without a header gives
	// them.
	Names []string
	// Required lists the columns a header must name.
	Required []string
	// Aliases maps other header spellings to a column name.
	Aliases map[string]string
}

// Row is one data row of a file.
type Row struct {
	// Line is the line the row starts on.
	Line  int
	cells []string
	index map[string]int
}

// Get returns the named column's cell with surrounding spaces trimmed, or ""
// when the row or the header lacks it.
func (r Row) Get(column string) string {
	if i, ok := r.index[column]; ok && i < len(r.cells) {
		return strings.TrimSpace(r.cells[i])
	}
	return ""
}

// Len is the number of cells in the row.
func (r Row) Len() int { return len(r.cells) }

// Import reads a whole CSV file of one kind and applies it row by row.
//
// The file is refused whole, with nothing applied, when it is larger than
// MaxBytes, has more than MaxRows or no data rows, has a quoted field that
// is not closed properly, or has a header naming an unknown, repeated or
// missing column. A first row whose first cell names one of cols.Names is
// the header; without one the columns are cols.Names in order. A leading
// UTF-8 byte order mark is ignored, and so are blank lines.
//
// Then each data row, in file order, goes to parse and, if that succeeds, to
// apply. A row that is not valid CSV, has more cells than columns, or holds a
// NUL byte or invalid UTF-8 in a cell is reported without reaching parse; a
// row whose parse or apply fails with an application error (any code but
// internal) is reported with Message and skipped. An internal error stops
// the import and is returned. progress, if set, is called after each row with
// the rows done and the total.
func Import[T any](ctx context.Context, r io.Reader, cols Columns, parse func(Row) (T, error), apply func(context.Context, T) error, progress func(done, total int)) (*Result, error) {
	rows, err := read(r, cols)
	if err != nil {
		return nil, err
	}
	res := &Result{Rows: len(rows), Errors: []Error{}}
	for i, row := range rows {
		err := row.err
		if err == nil {
			var v T
			if v, err = parse(row.Row); err == nil {
				err = apply(ctx, v)
			}
		}
		if err != nil {
			if surveys.ErrorCode(err) == surveys.EINTERNAL {
				return nil, fmt.Errorf("import line %d: %w", row.Line, err)
			}
			res.Errors = append(res.Errors, Error{Line: row.Line, Message: Message(err)})
		}
		if progress != nil {
			progress(i+1, len(rows))
		}
	}
	return res, nil
}

// Message turns a row's application error into one line for the report. A
// field message in the validator's style ("is required", "must be …",
// "cannot …") follows its field's name; any other is a sentence of its own.
func Message(err error) string {
	var ae *surveys.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		return surveys.ErrorMessage(err)
	}
	parts := make([]string, len(ae.Fields))
	for i, f := range ae.Fields {
		parts[i] = f.Message
		if strings.HasPrefix(f.Message, "is ") || strings.HasPrefix(f.Message, "must ") || strings.HasPrefix(f.Message, "cannot ") {
			parts[i] = f.Field + " " + f.Message
		}
	}
	return strings.Join(parts, "; ")
}

// readRow is a data row and, when it cannot be parsed at all, why.
type readRow struct {
	Row
	err error
}

// read reads every row first, so that a file over a limit or with a bad
// header is refused before anything is applied.
func read(r io.Reader, cols Columns) ([]readRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, surveys.Errorf(surveys.ETOOLARGE, "the file is larger than %d MiB; split it", MaxBytes>>20)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	names := cols.Names
	index := columnIndex(names)
	var rows []readRow
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
			// A stray quote in an unquoted field ends with its line.
			first = false
			rows = append(rows, readRow{Row: Row{Line: pe.StartLine}, err: surveys.Errorf(surveys.EINVALID, "this line is not valid CSV: %v", pe.Err)})
		case errors.As(err, &pe):
			// A quoted field that is not closed properly may have run on
			// over the lines after it: which lines are rows is unknown.
			return nil, surveys.Errorf(surveys.EINVALID, "the file is not valid CSV: line %d: %v", pe.StartLine, pe.Err)
		case err != nil:
			return nil, fmt.Errorf("read CSV: %w", err)
		case blank(rec):
			continue
		default:
			line, _ := cr.FieldPos(0)
			if first {
				first = false
				if isColumn(cols, rec[0]) {
					if names, err = headerNames(cols, rec, line); err != nil {
						return nil, err
					}
					index = columnIndex(names)
					continue
				}
			}
			rows = append(rows, readRow{Row: Row{Line: line, cells: rec, index: index}, err: checkCells(rec, names)})
		}
		if len(rows) > MaxRows {
			return nil, surveys.Errorf(surveys.EINVALID, "the file has more than %d rows; split it", MaxRows)
		}
	}
	if len(rows) == 0 {
		return nil, surveys.Errorf(surveys.EINVALID, "the file has no rows; expected %s", strings.Join(cols.Names, ","))
	}
	return rows, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnName is a header cell as a column name: trimmed, lower case, aliases
// resolved.
func columnName(cols Columns, cell string) string {
	h := strings.ToLower(strings.TrimSpace(cell))
	if a, ok := cols.Aliases[h]; ok {
		return a
	}
	return h
}

func isColumn(cols Columns, cell string) bool {
	return slices.Contains(cols.Names, columnName(cols, cell))
}

func columnIndex(names []string) map[string]int {
	index := make(map[string]int, len(names))
	for i, c := range names {
		index[c] = i
	}
	return index
}

// headerNames checks a header row and returns its column names in order. A
// header that names the first columns in their usual order leaves the rest
// to follow unnamed, as in a file without a header.
func headerNames(cols Columns, rec []string, line int) ([]string, error) {
	known := strings.Join(cols.Names, ",")
	names := make([]string, len(rec))
	for i, cell := range rec {
		h := columnName(cols, cell)
		if !isColumn(cols, h) {
			return nil, surveys.Errorf(surveys.EINVALID, "line %d: unknown column %q; the columns are %s", line, h, known)
		}
		if slices.Contains(names[:i], h) {
			return nil, surveys.Errorf(surveys.EINVALID, "line %d: column %q appears twice", line, h)
		}
		names[i] = h
	}
	for _, c := range cols.Required {
		if !slices.Contains(names, c) {
			return nil, surveys.Errorf(surveys.EINVALID, "line %d: the header needs a %s column; the columns are %s", line, c, known)
		}
	}
	if len(names) <= len(cols.Names) && slices.Equal(names, cols.Names[:len(names)]) {
		return cols.Names, nil
	}
	return names, nil
}

// checkCells rejects a row that no parser should see: more cells than
// columns, or a cell that is not one line of text (surveys.CheckText; NUL
// bytes and invalid UTF-8, which PostgreSQL refuses, get their own words).
func checkCells(rec, names []string) error {
	if len(rec) > len(names) {
		return surveys.Errorf(surveys.EINVALID, "expected at most %d columns (%s), found %d", len(names), strings.Join(names, ","), len(rec))
	}
	for i, cell := range rec {
		switch {
		case strings.ContainsRune(cell, 0):
			return surveys.Invalid("the row is not valid", []surveys.FieldError{{Field: names[i], Message: "cannot contain a NUL byte"}})
		case !utf8.ValidString(cell):
			return surveys.Invalid("the row is not valid", []surveys.FieldError{{Field: names[i], Message: "is not valid UTF-8 text; save the file as UTF-8"}})
		}
		// Every other rule of text, the one every field has.
		if err := surveys.CheckText(cell, false); err != nil {
			return surveys.Invalid("the row is not valid", []surveys.FieldError{{Field: names[i], Message: err.Error()}})
		}
	}
	return nil
}
