// Package layers holds no code: its test checks that every package imports
// only the packages docs/architecture.md allows it.
package layers
