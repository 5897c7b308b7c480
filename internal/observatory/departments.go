package observatory

import (
	"sort"

	"github.com/lianes-cooperation/lianes/internal/reference"
)

// DepartmentFigures are one department's structures against its population.
type DepartmentFigures struct {
	Department reference.Department
	Count      int
	// Share is the department's share of the region's structures, in
	// percent; RepresentationIndex is that share over its population share.
	Share               float64
	RepresentationIndex float64
}

// Departments computes every department's figures from the counts of
// ByDepartment, the most structures first.
func Departments(counts map[string]int, departments []reference.Department) []DepartmentFigures {
	total := 0
	for _, n := range counts {
		total += n
	}
	out := make([]DepartmentFigures, len(departments))
	for i, d := range departments {
		share := Share(counts[d.Code], total)
		out[i] = DepartmentFigures{Department: d, Count: counts[d.Code], Share: share,
			RepresentationIndex: Representation(share, float64(d.PopulationShare))}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}
