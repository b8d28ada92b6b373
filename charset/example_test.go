package charset_test

import (
	"fmt"

	"github.com/newsdesk/newsdesk/charset"
	"golang.org/x/text/encoding/charmap"
)

// A page declared as UTF-8 whose bytes are windows-1251 Cyrillic: the
// declaration is checked against the bytes and overruled.
func ExampleDecode() {
	raw, _ := charmap.Windows1251.NewEncoder().Bytes([]byte("Новости дня: мост в городе закрыт на ремонт после проверки инженеров"))
	text, name, err := charset.Decode(raw, "utf-8")
	fmt.Println(string(text))
	fmt.Println(name, err)
	// Output:
	// Новости дня: мост в городе закрыт на ремонт после проверки инженеров
	// windows-1251 <nil>
}
