-- The languages a program's survey links offer (issue 12), comma-separated
-- and ordered: the first is the language of the survey emails and
-- reminders and the page's default when Accept-Language matches none.
-- The language a mentee answered in is stored nowhere (docs/privacy.md).
ALTER TABLE programs ADD COLUMN survey_languages TEXT NOT NULL DEFAULT 'en';
