package surveys

import (
	"errors"
	"fmt"
)

// Why CleanComment refuses a comment, so that a page can word the reason in
// the mentee's language (errors.Is); the messages are the JSON API's.
var (
	ErrCommentInvalidText = errors.New("contains characters that are not valid text")
	ErrCommentControl     = errors.New("contains control characters; please use plain text")
	ErrCommentBidi        = errors.New("contains invisible text-direction characters; please use plain text")
	ErrCommentInvisible   = errors.New("contains only invisible characters; write something or leave it empty")
	ErrCommentTooLong     = errors.New("is too long")
)

// CommentTooLongError is a comment over its limit: its length and the limit,
// in characters. It matches ErrCommentTooLong.
type CommentTooLongError struct{ Length, Max int }

func (e *CommentTooLongError) Error() string {
	return fmt.Sprintf("is %d characters long; the limit is %d", e.Length, e.Max)
}

// Is makes a CommentTooLongError match ErrCommentTooLong.
func (e *CommentTooLongError) Is(target error) bool { return target == ErrCommentTooLong }
