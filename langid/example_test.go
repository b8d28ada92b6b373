package langid_test

import (
	"fmt"

	"github.com/newsdesk/newsdesk/langid"
)

func ExampleDetect() {
	texts := [][]string{
		{"Fishermen in the bay say the new quota is too low for them to keep their boats at sea."},
		{"Die Fischer in der Bucht sagen, dass die neue Quote zu niedrig ist, um ihre Boote auf See zu halten."},
		{"Les pêcheurs de la baie disent que le nouveau quota est trop bas pour garder leurs bateaux en mer."},
		{"Рыбаки в заливе говорят, что новая квота слишком мала."},
		{"Score: 3-1"},
	}
	for _, paras := range texts {
		fmt.Printf("%q\n", langid.Detect(paras))
	}
	// Output:
	// "en"
	// "de"
	// "fr"
	// "ru"
	// ""
}
