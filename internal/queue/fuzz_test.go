package queue

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeItem: any bytes decode to a checked Item or an error, never a
// panic; an Item that decodes encodes back to one that decodes the same.
func FuzzDecodeItem(f *testing.F) {
	raw := []byte("Harbour toll rises\n\nThe toll rises on Monday.")
	it := Item{Version: 1, Name: "toll.txt", Format: "text", SHA256: sha256Hex(raw), Size: int64(len(raw)), Raw: raw}
	data, _ := json.Marshal(it)
	f.Add(data)
	f.Add([]byte(`{"v":1,"name":"x","sha256":"` + sha256Hex(nil) + `","size":0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := DecodeItem(data)
		if err != nil {
			return
		}
		again, err := it.Encode()
		if err != nil {
			t.Fatalf("decoded item does not encode: %v", err)
		}
		back, err := DecodeItem(again)
		if err != nil {
			t.Fatalf("re-encoded item does not decode: %v", err)
		}
		if back.Name != it.Name || back.SHA256 != it.SHA256 || !bytes.Equal(back.Raw, it.Raw) || back.Object != it.Object {
			t.Fatalf("round trip changed the item: %+v -> %+v", it, back)
		}
	})
}

// FuzzDecodeDeadLetter: any bytes decode to a dead letter with a work
// message to retry, or to an error.
func FuzzDecodeDeadLetter(f *testing.F) {
	f.Add([]byte(`{"subject":"newsdesk.work.items","name":"a.bin","error":"binary","attempts":1,"time":"2026-01-02T03:04:05Z","item":{"v":1}}`))
	f.Add([]byte(`{"subject":"newsdesk.work.items","name":"x","error":"e","attempts":2,"time":"2026-01-02T03:04:05Z","data":"AAEC"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dl, err := DecodeDeadLetter(data)
		if err != nil {
			return
		}
		if dl.Subject == "" || len(dl.message()) == 0 {
			t.Fatalf("dead letter without subject or message: %+v", dl)
		}
	})
}
