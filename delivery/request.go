package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// LinkRequest is a mentee asking at a resident's QR request page for a link
// by email. Email is whatever they typed: it is never logged or stored
// unless it is a mentee's, and then only as a meeting's contact details.
type LinkRequest struct {
	ResidentID int64
	Email      string
}

// requestQueueSize bounds the requests waiting in one instance. The per-IP
// and per-address limits keep it far from full; a request beyond it is
// dropped, and the mentee, who sees "check your inbox" either way, asks
// again.
const requestQueueSize = 256

// requestQueue holds QR requests between the page's answer and their
// handling. It lives in process memory only: nothing about a request is
// written anywhere until it turns out to name a mentee.
type requestQueue struct {
	once   sync.Once
	ch     chan LinkRequest
	cancel context.CancelFunc
	done   chan struct{}
}

// RequestLink queues a QR request and returns at once, before anything is
// looked up, so the page answers every request with the same work done:
// whether the address is a mentee's shows neither in the answer nor in its
// timing. One worker per instance handles the requests in order: for an
// active mentee of the resident's program (or an address in its mentee
// domains) it records a meeting dated today and queues the link's email, as
// Record does; a second request the same day is a duplicate and sends
// nothing. It reports false when the queue was full and the request dropped.
func (s *Service) RequestLink(r LinkRequest) bool {
	q := &s.requests
	q.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		q.ch, q.cancel, q.done = make(chan LinkRequest, requestQueueSize), cancel, make(chan struct{})
		go s.handleRequests(ctx)
	})
	select {
	case q.ch <- r:
		return true
	default:
		s.log.Warn("link request dropped: the request queue is full", "resident_id", r.ResidentID)
		return false
	}
}

func (s *Service) handleRequests(ctx context.Context) {
	defer close(s.requests.done)
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-s.requests.ch:
			s.handleRequest(ctx, r)
		}
	}
}

// handleRequest records the meeting of one request. Only ids and error
// codes are logged: never the typed address.
func (s *Service) handleRequest(ctx context.Context, r LinkRequest) {
	res, err := s.db.UserByID(ctx, r.ResidentID)
	if err != nil || !res.Active || res.Role != models.RoleResident {
		return
	}
	today := s.db.Now().UTC().Format(time.DateOnly)
	rec, err := s.Record(ctx, NewMeeting{ResidentID: r.ResidentID, MeetingDate: today, MenteeEmail: r.Email})
	switch code := surveys.ErrorCode(err); code {
	case "":
		s.log.Info("link requested by QR code: meeting recorded", "resident_id", r.ResidentID, "meeting_id", rec.Meeting.ID)
	case surveys.EINVALID, surveys.ECONFLICT:
		s.log.Debug("link request not taken", "resident_id", r.ResidentID, "code", code)
	default:
		// The error itself stays out: a database error may quote the address.
		s.log.Warn("link request failed", "resident_id", r.ResidentID, "code", code)
	}
}

// stop ends the request worker, if one runs; requests still queued are
// dropped with the process, and later ones too.
func (q *requestQueue) stop() {
	q.once.Do(func() {}) // orders this read after RequestLink's start
	if q.cancel == nil {
		return
	}
	q.cancel()
	<-q.done
}
