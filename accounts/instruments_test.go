package accounts_test

import (
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestDirectorCopiesEditsAndPublishesTheProgramInstrument(t *testing.T) {
	w := newWorld(t)
	draft, err := w.svc.CreateInstrumentDraft(w.ctx, w.asDirA, w.progA.ID, surveys.DefaultKey, surveys.DefaultVersion)
	if err != nil {
		t.Fatal(err)
	}
	key := accounts.ProgramInstrumentKey(w.progA.ID)
	if draft.Key != key || draft.Version != 1 || draft.Status != models.InstrumentDraft || draft.Current {
		t.Fatalf("draft %+v", draft)
	}
	_, err = w.svc.CreateInstrumentDraft(w.ctx, w.asDirA, w.progA.ID, surveys.DefaultKey, surveys.DefaultVersion)
	wantCode(t, err, surveys.ECONFLICT) // one draft at a time

	doc := draft.Document
	doc.Items[3].Text["en"] = "My mentor helped me plan concrete next steps."
	doc.Items = doc.Items[1:] // availability left with one item
	_, err = w.svc.UpdateInstrumentDraft(w.ctx, w.asDirA, key, 1, doc)
	wantCode(t, err, surveys.EINVALID)
	got, err := w.svc.InstrumentVersion(w.ctx, w.asDirA, key, 1)
	if err != nil || len(got.Document.Items) != 9 {
		t.Fatalf("an invalid document changed the draft: %v %v", got, err)
	}
	doc = draft.Document
	doc.Items[3].Text["en"] = "My mentor helped me plan concrete next steps."
	if _, err := w.svc.UpdateInstrumentDraft(w.ctx, w.asDirA, key, 1, doc); err != nil {
		t.Fatal(err)
	}

	// Links made before the publish keep the default.
	before, err := w.db.CreateInvitation(w.ctx, models.NewInvitation{ResidentID: w.resA1.ID})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.svc.PublishInstrument(w.ctx, w.asDirA, key, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != models.InstrumentPublished || !pub.Current || pub.PublishedAt == nil {
		t.Fatalf("published %+v", pub)
	}
	after, err := w.db.CreateInvitation(w.ctx, models.NewInvitation{ResidentID: w.resA1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if before.InstrumentKey != surveys.DefaultKey || after.InstrumentKey != key || after.InstrumentVersion != 1 {
		t.Errorf("links ask %s@%d before, %s@%d after", before.InstrumentKey, before.InstrumentVersion, after.InstrumentKey, after.InstrumentVersion)
	}
	_, inst, err := w.db.OpenSurvey(w.ctx, after.Token)
	if err != nil || inst.Items[3].Text != "My mentor helped me plan concrete next steps." {
		t.Errorf("the new link's survey: %v %v", inst, err)
	}
	// Another program's links are not affected.
	other, err := w.db.CreateInvitation(w.ctx, models.NewInvitation{ResidentID: w.resB1.ID})
	if err != nil || other.InstrumentKey != surveys.DefaultKey {
		t.Errorf("program B's link asks %s (%v)", other.InstrumentKey, err)
	}

	_, err = w.svc.UpdateInstrumentDraft(w.ctx, w.asDirA, key, 1, doc)
	wantCode(t, err, surveys.ECONFLICT) // published versions are immutable
	_, err = w.svc.PublishInstrument(w.ctx, w.asDirA, key, 1)
	wantCode(t, err, surveys.ECONFLICT)

	// A second publish waits for the release window to close.
	if _, err := w.svc.CreateInstrumentDraft(w.ctx, w.asDirA, w.progA.ID, key, 1); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.PublishInstrument(w.ctx, w.asDirA, key, 2)
	wantCode(t, err, surveys.ECONFLICT)
	w.db.Now = func() time.Time { return time.Now().AddDate(0, 7, 0) }
	if _, err := w.svc.PublishInstrument(w.ctx, w.asDirA, key, 2); err != nil {
		t.Fatal(err)
	}

	list, err := w.svc.ListInstruments(w.ctx, w.asDirA, w.progA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, v := range list {
		s := v.Key + "@" + itoa(int64(v.Version)) + " " + v.Status
		if v.Current {
			s += " current"
		}
		shown = append(shown, s)
	}
	want := []string{key + "@2 published current", key + "@1 published", surveys.DefaultKey + "@1 published"}
	if len(shown) != len(want) || shown[0] != want[0] || shown[1] != want[1] || shown[2] != want[2] {
		t.Errorf("list = %v, want %v", shown, want)
	}
	if n := len(w.audit(models.ActionInstrumentPublish)); n != 2 {
		t.Errorf("%d publish entries, want 2", n)
	}
	if e := w.audit(models.ActionInstrumentPublish)[0]; e.Target != "instrument:"+key+"@1" || e.ProgramID == nil || *e.ProgramID != w.progA.ID {
		t.Errorf("publish entry %+v", e)
	}
	if len(w.audit(models.ActionInstrumentCreate)) != 2 || len(w.audit(models.ActionInstrumentUpdate)) != 1 {
		t.Errorf("create/update entries: %d, %d", len(w.audit(models.ActionInstrumentCreate)), len(w.audit(models.ActionInstrumentUpdate)))
	}
}

func TestInstrumentAccess(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.CreateInstrumentDraft(w.ctx, w.asResA1, w.progA.ID, surveys.DefaultKey, 1)
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.CreateInstrumentDraft(w.ctx, w.asDirB, w.progA.ID, surveys.DefaultKey, 1)
	wantCode(t, err, surveys.ENOTFOUND)
	d, err := w.svc.CreateInstrumentDraft(w.ctx, w.asAdmin, w.progA.ID, surveys.DefaultKey, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.InstrumentVersion(w.ctx, w.asDirB, d.Key, d.Version)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.InstrumentVersion(w.ctx, w.asResA1, d.Key, d.Version)
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.PublishInstrument(w.ctx, w.asDirB, d.Key, d.Version)
	wantCode(t, err, surveys.ENOTFOUND)
	// Program B cannot copy program A's version either.
	_, err = w.svc.CreateInstrumentDraft(w.ctx, w.asDirB, w.progB.ID, d.Key, d.Version)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.UpdateInstrumentDraft(w.ctx, w.asDirA, surveys.DefaultKey, 1, d.Document)
	wantCode(t, err, surveys.ECONFLICT)
}

func TestImportedFileBecomesTheProgramsNextDraft(t *testing.T) {
	w := newWorld(t)
	doc := surveys.DocumentOf(surveys.Default())
	doc.Key, doc.Version = "program-99", 7
	v, err := w.svc.ImportInstrumentDraft(w.ctx, w.asDirB, w.progB.ID, doc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Key != accounts.ProgramInstrumentKey(w.progB.ID) || v.Version != 1 || v.Document.Key != v.Key {
		t.Errorf("imported as %s@%d (document %s)", v.Key, v.Version, v.Document.Key)
	}
	if len(w.audit(models.ActionInstrumentImport)) != 1 {
		t.Error("import not audited")
	}
	bad := doc
	bad.Items = append([]surveys.DocumentItem(nil), doc.Items...)
	bad.Items[0].Attribute = ""
	w2 := newWorld(t)
	_, err = w2.svc.ImportInstrumentDraft(w2.ctx, w2.asDirA, w2.progA.ID, bad)
	wantCode(t, err, surveys.EINVALID)
}

func TestPublishRefusesAnItemKeyUnderAnotherAttribute(t *testing.T) {
	w := newWorld(t)
	d, err := w.svc.CreateInstrumentDraft(w.ctx, w.asDirA, w.progA.ID, surveys.DefaultKey, 1)
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Document
	doc.Items = append(doc.Items, surveys.DocumentItem{Key: "C1", Attribute: surveys.Overall, Text: map[string]string{"en": "x", "es": "x"}})
	doc.Items[2].Key = "C9" // C1 now asked under overall
	if _, err := w.svc.UpdateInstrumentDraft(w.ctx, w.asDirA, d.Key, 1, doc); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.PublishInstrument(w.ctx, w.asDirA, d.Key, 1)
	wantCode(t, err, surveys.EINVALID)
	got, _ := w.svc.InstrumentVersion(w.ctx, w.asDirA, d.Key, 1)
	if got.Status != models.InstrumentDraft {
		t.Error("a refused publish published")
	}
}
