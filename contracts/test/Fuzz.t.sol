// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev Property tests over amounts, deadlines, times, caps and stars.
contract FuzzTest is Fixture {
    function testFuzz_propose_amount(uint256 amount) public {
        if (amount == 0) {
            vm.expectRevert(BafokaCommunity.InvalidAmount.selector);
            _propose(ALICE, BOB, amount);
        } else if (amount > 1000) {
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InsufficientBalance.selector, 1000, amount));
            _propose(ALICE, BOB, amount);
        } else {
            _propose(ALICE, BOB, amount);
            assertEq(c.balanceOf(ALICE), 1000 - amount, "balance");
            assertEq(c.escrowOf(ALICE), amount, "escrow");
        }
        _assertCommunity1Conserved();
    }

    function testFuzz_propose_deadline(uint64 deadline, uint256 nowOffset) public {
        uint256 nowTs = T0 + bound(nowOffset, 0, 3650 days);
        vm.warp(nowTs);
        if (deadline <= nowTs) {
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineInPast.selector, deadline, nowTs));
            _propose(ALICE, BOB, 10, deadline);
            assertEq(c.exchangeCount(), 0, "nothing proposed");
            return;
        }
        uint256 id = _propose(ALICE, BOB, 10, deadline);
        (,,,, uint64 stored,) = c.getExchange(id);
        assertEq(uint256(stored), uint256(deadline), "deadline stored");
        // In time at the deadline itself: it can be accepted, not expired.
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineNotReached.selector, id, deadline));
        c.expireExchange(id);
        if (deadline < type(uint64).max) {
            vm.warp(uint256(deadline) + 1);
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlinePassed.selector, id, deadline));
            _accept(id);
            c.expireExchange(id);
            assertEq(c.balanceOf(ALICE), 1000, "refunded");
        }
    }

    function testFuzz_expire_onlyAfterDeadline(uint64 duration, uint256 elapsed, bool accepted) public {
        duration = uint64(bound(duration, 1, 365 days));
        elapsed = bound(elapsed, 0, 2 * 365 days);
        uint256 id = _propose(ALICE, BOB, 250, uint64(T0) + duration);
        if (accepted) _accept(id);
        vm.warp(T0 + elapsed);
        if (elapsed <= duration) {
            vm.expectRevert(
                abi.encodeWithSelector(BafokaCommunity.DeadlineNotReached.selector, id, uint64(T0) + duration)
            );
            c.expireExchange(id);
            assertEq(c.escrowOf(ALICE), 250, "still held");
        } else {
            c.expireExchange(id);
            assertEq(c.escrowOf(ALICE), 0, "released");
            assertEq(c.balanceOf(ALICE), 1000, "refunded");
            assertEq(uint256(_state(id)), uint256(EXPIRED), "expired");
        }
        _assertCommunity1Conserved();
    }

    /// Every path ends in exactly one end state, and only completion pays the provider.
    function testFuzz_lifecycle_exactlyOneEnd(uint256 amount, uint8 path, uint64 duration) public {
        amount = bound(amount, 1, 1000);
        duration = uint64(bound(duration, 1, 30 days));
        uint256 id = _propose(ALICE, BOB, amount, uint64(T0) + duration);
        uint8 end;
        path = path % 5;
        if (path == 0) {
            _accept(id);
            _complete(id);
            end = COMPLETED;
        } else if (path == 1) {
            _decline(id);
            end = DECLINED;
        } else if (path == 2) {
            _cancel(id);
            end = CANCELLED;
        } else {
            if (path == 4) _accept(id);
            vm.warp(T0 + duration + 1);
            c.expireExchange(id);
            end = EXPIRED;
        }
        assertEq(uint256(_state(id)), uint256(end), "end state");
        uint256 paid = end == COMPLETED ? amount : 0;
        assertEq(c.balanceOf(BOB), 1000 + paid, "provider paid only on completion");
        assertEq(c.balanceOf(ALICE), 1000 - paid, "payer refunded otherwise");
        assertEq(c.escrowOf(ALICE), 0, "escrow empty");
        _assertCommunity1Conserved();

        // No second end.
        vm.warp(T0 + 365 days);
        bytes memory wrong = abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, end);
        vm.expectRevert(wrong);
        _complete(id);
        vm.expectRevert(wrong);
        _decline(id);
        vm.expectRevert(wrong);
        _cancel(id);
        vm.expectRevert(wrong);
        c.expireExchange(id);
        assertEq(uint256(_state(id)), uint256(end), "unchanged");
    }

    function testFuzz_crossCommunity_alwaysReverts(uint256 amount, bool fromCommunity1) public {
        amount = bound(amount, 1, 1000);
        (address payer, address provider) = fromCommunity1 ? (ALICE, CAROL) : (CAROL, ALICE);
        (uint256 pc, uint256 vc) = fromCommunity1 ? (FJK, BJK) : (BJK, FJK);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.CrossCommunity.selector, pc, vc));
        _propose(payer, provider, amount);
        assertEq(_supply(FJK), 3000, "community 1 supply");
        assertEq(_supply(BJK), 1000, "community 2 supply");
    }

    function testFuzz_recharge_neverAboveWeeklyCap(uint256 cap, uint256 a1, uint256 a2, uint256 a3, uint256 gap)
        public
    {
        cap = bound(cap, 1, 1e15);
        _approveBacker(BACKER, FJK, cap);
        uint256[3] memory amounts = [bound(a1, 1, 2e15), bound(a2, 1, 2e15), bound(a3, 1, 2e15)];
        uint256 minted;
        uint256 usedThisWeek;
        uint256 week = c.currentWeek();
        for (uint256 i = 0; i < 3; i++) {
            if (i == 2) {
                vm.warp(block.timestamp + bound(gap, 0, 3 weeks));
                if (c.currentWeek() != week) usedThisWeek = 0;
            }
            uint256 remaining = cap - usedThisWeek;
            if (amounts[i] > remaining) {
                vm.expectRevert(
                    abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, remaining, amounts[i])
                );
                _recharge(BACKER, ALICE, amounts[i]);
            } else {
                _recharge(BACKER, ALICE, amounts[i]);
                usedThisWeek += amounts[i];
                minted += amounts[i];
            }
            assertLe(usedThisWeek, cap, "within the cap");
            assertEq(c.rechargeableThisWeek(BACKER), cap - usedThisWeek, "rechargeable");
        }
        assertEq(_supply(FJK), 3000 + minted, "supply is grants + recharges");
        assertEq(c.balanceOf(ALICE), 1000 + minted, "credited");
        _assertCommunity1Conserved();
    }

    function testFuzz_recharge_strangerNeverMints(address caller, uint256 amount) public {
        vm.assume(caller != BACKER && caller != address(vm));
        _approveBacker(BACKER, FJK, 1e9);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, caller));
        _recharge(caller, ALICE, amount);
        assertEq(_supply(FJK), 3000, "nothing minted");
    }

    function testFuzz_rate_stars(uint8 stars, bool byPayer) public {
        uint256 id = _completedExchange(10);
        address rater = byPayer ? ALICE : BOB;
        address ratee = byPayer ? BOB : ALICE;
        if (stars < 1 || stars > 5) {
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InvalidStars.selector, stars));
            _rate(id, rater, stars);
            assertEq(c.reputationOf(ratee), 0, "no stars");
        } else {
            _rate(id, rater, stars);
            assertEq(c.reputationOf(ratee), stars, "stars to the other party");
            assertEq(c.reputationOf(rater), 0, "none to the rater");
        }
    }

    function testFuzz_register_anyone(address member, uint256 communityId) public {
        vm.assume(member != ALICE && member != BOB && member != DAVE && member != CAROL);
        if (member == address(0)) {
            vm.expectRevert(BafokaCommunity.ZeroAddress.selector);
            _register(member, communityId);
        } else if (communityId == 0 || communityId > 3) {
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, communityId));
            _register(member, communityId);
        } else {
            uint256 before = _supply(communityId);
            _register(member, communityId);
            assertEq(c.communityOf(member), communityId, "community");
            assertEq(c.balanceOf(member), 1000, "grant");
            assertEq(_supply(communityId), before + 1000, "supply");
            vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyMember.selector, member));
            _register(member, communityId % 3 + 1);
        }
    }
}
