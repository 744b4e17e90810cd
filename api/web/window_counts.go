package web

import (
	"context"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// windowCountsLimit bounds the closed windows listed on a page.
const windowCountsLimit = 200

// windowCountRow is how many meetings one resident recorded in one closed
// window and how many of their links were answered and declined. Counts of
// the open window are never shown: they would move with each answer and
// tell the resident which meetings a released group is made of.
type windowCountRow struct {
	ResidentID                   int64
	ResidentName                 string
	Window                       string // "quarter (October–December 2026)"
	Recorded, Answered, Declined int64
}

// windowCounts is what the window-counts template shows: the rows, and
// whether they are several residents' (a roster) or one's (a home).
type windowCounts struct {
	Rows      []windowCountRow
	Residents bool
}

// closedWindowCounts lists the program's (or one resident's) counts per
// closed window, newest window first; names come from names when given.
func (s *Server) closedWindowCounts(ctx context.Context, p *models.Program, residentID int64, names map[int64]string) (windowCounts, error) {
	rows, err := s.DB.ClosedWindowLinks(ctx, p, residentID)
	if err != nil {
		return windowCounts{}, err
	}
	if len(rows) > windowCountsLimit {
		rows = rows[:windowCountsLimit]
	}
	out := windowCounts{Rows: make([]windowCountRow, 0, len(rows)), Residents: residentID == 0}
	for _, r := range rows {
		label := r.WindowID
		if w, err := surveys.WindowOfMonth(r.WindowID, p.ReleaseWindow, p.AcademicYearStartMonth); err == nil {
			label = w.Label(p.ReleaseWindow)
		}
		out.Rows = append(out.Rows, windowCountRow{ResidentID: r.ResidentID, ResidentName: names[r.ResidentID], Window: label,
			Recorded: r.Created, Answered: r.Completed, Declined: r.Declined})
	}
	return out, nil
}
