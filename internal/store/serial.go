package store

import "context"

// SerialLocker is implemented by stores that several processes may write
// at once. Copy and story detection decide one article at a time against
// everything stored before it; processes sharing a store take turns
// through this lock, held from deciding a batch until it is stored, so
// that each decides as one process would. The lock belongs to the
// process's connection or file handle: a process that dies releases it.
type SerialLocker interface {
	// LockSerial waits until no other holder has the lock and takes it.
	// The returned unlock releases it; call it once.
	LockSerial(ctx context.Context) (unlock func(), err error)
}

// StoryGetter is implemented by stores that read chosen stories with their
// state: a process taking its turn reloads the stories others changed, not
// all of them.
type StoryGetter interface {
	// StoriesByID returns the stories with these ids, with their state;
	// ids not stored are left out.
	StoriesByID(ctx context.Context, ids []string) ([]StoryState, error)
}
