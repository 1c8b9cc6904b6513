module github.com/tally-lang/tally/vm-core/go

go 1.19
