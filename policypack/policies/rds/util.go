package rds

import (
	"strconv"
	"strings"
)

func itoa(i int) string { return strconv.Itoa(i) }

func strconvNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
