package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlanLeases(t *testing.T) {
	held := func(shard, owner string) LeaseState { return LeaseState{ShardID: shard, Owner: owner, Token: 1} }
	free := func(shard string) LeaseState { return LeaseState{ShardID: shard, Free: true} }
	starving := func(shard string) LeaseState { return LeaseState{ShardID: shard, Free: true, LongFree: true} }
	four := []string{"s0", "s1", "s2", "s3"}
	six := []string{"s0", "s1", "s2", "s3", "s4", "s5"}
	eight := []string{"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"}
	tests := []struct {
		name     string
		live     []string
		eligible []string
		busy     []string
		table    []LeaseState
		want     LeasePlan
	}{
		{name: "alone: takes every free lease", live: []string{"a"}, eligible: four,
			table: []LeaseState{free("s0"), free("s1"), free("s2"), free("s3")},
			want:  LeasePlan{Target: 4, Claim: four}},
		{name: "two workers, nothing taken: half each", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{free("s0"), free("s1"), free("s2"), free("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s0", "s1"}}},
		{name: "three workers over 4 shards: ceil", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "b"), free("s1"), free("s2"), free("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s1", "s2"}}},
		{name: "at target: takes nothing more", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), free("s2"), free("s3")},
			want:  LeasePlan{Target: 2}},
		{name: "over target while another lacks: releases the excess", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "a"), held("s3", "a")},
			want:  LeasePlan{Target: 2, Release: 2}},
		{name: "over target, no live worker lacks: keeps them", live: []string{"a", "b"}, eligible: []string{"s0", "s1", "s2"},
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "b"), held("s3", "b")},
			want:  LeasePlan{Target: 2}},
		{name: "releases only what others lack", live: []string{"a", "b", "c"}, eligible: []string{"s0", "s1", "s2", "s3", "s4", "s5"},
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "a"), held("s3", "a"), held("s4", "b"), held("s5", "b")},
			want:  LeasePlan{Target: 2, Release: 2}},
		{name: "at target while another is under the floor: gives up one", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "b"), held("s3", "b")},
			want:  LeasePlan{Target: 2, Release: 1}},
		{name: "at target, the others at the floor: keeps them", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "b"), held("s3", "c")},
			want:  LeasePlan{Target: 2}},
		{name: "at the floor while another worker is under it: leaves the free lease to it", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), free("s1"), held("s2", "b"), held("s3", "b")},
			want:  LeasePlan{Target: 2}},
		{name: "gave one up for a joiner: does not take it back", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), free("s1"), held("s2", "b"), free("s3")},
			want:  LeasePlan{Target: 2}},
		{name: "the worker under the floor takes the free leases up to the target", live: []string{"c", "a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "b"), free("s1"), held("s2", "c"), free("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s1", "s3"}}},
		{name: "at the floor, nobody under it: takes a free lease up to the target", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "c"), held("s2", "b"), free("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s3"}}},
		{name: "under the floor itself: takes free leases although another is under it too", live: []string{"a", "b", "c"}, eligible: eight,
			table: []LeaseState{held("s0", "a"), free("s1"), free("s2"), held("s3", "b"), held("s4", "b"), held("s5", "b"), free("s6"), free("s7")},
			want:  LeasePlan{Target: 3, Claim: []string{"s1", "s2"}}},
		{name: "8 shards, 2 to 3 workers: over the target, gives up the excess", live: []string{"a", "b", "c"}, eligible: eight,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "a"), held("s3", "a"), held("s4", "b"), held("s5", "b"), held("s6", "b"), held("s7", "b")},
			want:  LeasePlan{Target: 3, Release: 1}},
		{name: "8 shards, 2 to 3 workers: at the target, the joiner under the floor: gives up one more", live: []string{"a", "b", "c"}, eligible: eight,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "a"), free("s3"), held("s4", "b"), held("s5", "b"), held("s6", "b"), held("s7", "b")},
			want:  LeasePlan{Target: 3, Release: 1}},
		{name: "8 shards, 2 to 3 workers: at the floor, takes nothing back", live: []string{"a", "b", "c"}, eligible: eight,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), free("s2"), free("s3"), held("s4", "b"), held("s5", "b"), held("s6", "b"), held("s7", "b")},
			want:  LeasePlan{Target: 3}},
		{name: "6 shards, 2 to 3 workers: gives up the excess only, then at the target", live: []string{"a", "b", "c"}, eligible: six,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "a"), held("s3", "b"), held("s4", "b"), held("s5", "b")},
			want:  LeasePlan{Target: 2, Release: 1}},
		{name: "at the floor while another is under it: a long-free lease is taken anyway", live: []string{"a", "b", "c"}, eligible: four,
			table: []LeaseState{held("s0", "a"), starving("s1"), held("s2", "b"), held("s3", "b")},
			want:  LeasePlan{Target: 2, Claim: []string{"s1"}, ClaimStarving: []string{}}},
		{name: "3 to 2 workers: the leaver's free leases are taken up to the new target", live: []string{"a", "b"}, eligible: six,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "b"), held("s3", "b"), free("s4"), free("s5")},
			want:  LeasePlan{Target: 3, Claim: []string{"s4"}}},
		{name: "3 to 2 workers, 4 shards: the one under the target takes the leaver's lease", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "b"), held("s2", "b"), free("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s3"}}},
		{name: "a dead worker's expired lease is free", live: []string{"a"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), {ShardID: "s2", Owner: "dead", Token: 3, Free: true}, held("s3", "a")},
			want:  LeasePlan{Target: 4, Claim: []string{"s2"}}},
		{name: "a lease held by a worker with no heartbeat is not free", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "gone"), free("s3")},
			want:  LeasePlan{Target: 2}},
		{name: "starving lease taken whatever the target", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{held("s0", "a"), held("s1", "a"), held("s2", "b"), starving("s3")},
			want:  LeasePlan{Target: 2, ClaimStarving: []string{"s3"}}},
		{name: "starving leases first under the target", live: []string{"a", "b"}, eligible: four,
			table: []LeaseState{free("s0"), held("s1", "a"), free("s2"), starving("s3")},
			want:  LeasePlan{Target: 2, Claim: []string{"s3"}, ClaimStarving: []string{}}},
		{name: "busy shards (still stopping) are not claimed", live: []string{"a"}, eligible: four, busy: []string{"s1"},
			table: []LeaseState{free("s0"), free("s1"), held("s2", "a"), held("s3", "a")},
			want:  LeasePlan{Target: 4, Claim: []string{"s0"}}},
		{name: "finished or not-yet-eligible shards are ignored", live: []string{"a", "b"}, eligible: []string{"s0", "s1"},
			table: []LeaseState{free("s0"), free("s1"), free("parent-done"), free("child-waiting")},
			want:  LeasePlan{Target: 1, Claim: []string{"s0"}}},
		{name: "no eligible shard", live: []string{"a", "b"}, eligible: nil,
			table: []LeaseState{free("s0")},
			want:  LeasePlan{Target: 0}},
		{name: "own heartbeat missing from live: counted anyway", live: nil, eligible: four,
			table: []LeaseState{free("s0"), free("s1"), free("s2"), free("s3")},
			want:  LeasePlan{Target: 4, Claim: four}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanLeases("a", tt.live, tt.eligible, tt.busy, tt.table)
			assert.Equal(t, tt.want.Target, got.Target)
			assert.ElementsMatch(t, tt.want.Claim, got.Claim)
			assert.ElementsMatch(t, tt.want.ClaimStarving, got.ClaimStarving)
			assert.Equal(t, tt.want.Release, got.Release)
		})
	}
}
