// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev The four faults of the previous design, each shown gone.
contract OldFaultsTest is Fixture {
    /// Fault 1: completing an exchange paid the escrow back to the payer.
    function test_fault1_completionPaysTheProvider() public {
        uint256 id = _propose(ALICE, BOB, 400);
        _accept(id);
        _complete(id);
        assertEq(c.balanceOf(BOB), 1400, "the provider got the 400");
        assertEq(c.balanceOf(ALICE), 600, "the payer did not get them back");
        assertEq(c.escrowOf(ALICE), 0, "nothing left in escrow");
        _assertCommunity1Conserved();
    }

    /// Fault 2: anyone could make themselves a backer and mint without limit.
    function test_fault2_onlyAdminApprovedBackersMintWithinCap() public {
        // Nobody but the admin approves a backer, not even the operator or the backer itself.
        vm.expectRevert(_unauthorized(STRANGER, ADMIN_ROLE));
        vm.prank(STRANGER);
        c.approveBacker(STRANGER, FJK, type(uint96).max);
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.approveBacker(STRANGER, FJK, type(uint96).max);
        // Not approved: no mint, whoever calls, the admin included.
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, STRANGER));
        _recharge(STRANGER, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, ADMIN));
        _recharge(ADMIN, ALICE, 1);
        // Approved: mints within the weekly cap, in its own community only.
        _approveBacker(BACKER, FJK, 1000);
        _recharge(BACKER, ALICE, 1000);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, 0, 1));
        _recharge(BACKER, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongCommunity.selector, FJK, BJK));
        _recharge(BACKER, CAROL, 1);
        // Revoked: no more mint, even in a new week.
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
        vm.warp(T0 + 2 weeks);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, BACKER));
        _recharge(BACKER, ALICE, 1);
        assertEq(_supply(FJK), 4000, "three grants and one capped recharge");
        _assertCommunity1Conserved();
    }

    /// Fault 3: members could rate themselves, rate from both sides, and rate again and again.
    function test_fault3_noSelfRatingNoDoubleRating() public {
        // A member cannot be both parties of an exchange, so cannot rate themselves.
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.SelfExchange.selector, ALICE));
        _propose(ALICE, ALICE, 10);
        uint256 id = _completedExchange(10);
        // The rater's stars always go to the other party.
        _rate(id, ALICE, 5);
        assertEq(c.reputationOf(ALICE), 0, "alice did not rate herself");
        assertEq(c.reputationOf(BOB), 5, "bob got alice's stars");
        // Once per party.
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyRated.selector, id, ALICE));
        _rate(id, ALICE, 5);
        // An outsider cannot rate.
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotParty.selector, id, DAVE));
        _rate(id, DAVE, 5);
        // The other side rates once too, and that goes to alice.
        _rate(id, BOB, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyRated.selector, id, BOB));
        _rate(id, BOB, 5);
        assertEq(c.reputationOf(ALICE), 1, "alice got bob's star");
        assertEq(c.reputationOf(BOB), 5, "bob unchanged");
        assertEq(c.ratingCountOf(ALICE) + c.ratingCountOf(BOB), 2, "two ratings in all");
    }

    /// Fault 4: escrowed funds could be stuck forever when an exchange was never finished.
    function test_fault4_noStuckFunds() public {
        // The payer takes back a proposal nobody answered.
        uint256 cancelled = _propose(ALICE, BOB, 100);
        _cancel(cancelled);
        // A proposal nobody answers expires; anyone can trigger the refund.
        uint256 unanswered = _propose(ALICE, BOB, 200);
        // An accepted exchange whose payer never confirms expires too.
        uint256 abandoned = _propose(ALICE, DAVE, 300);
        _accept(abandoned);
        assertEq(c.escrowOf(ALICE), 500, "held while open");
        vm.warp(T0 + DAY + 1);
        vm.startPrank(STRANGER);
        c.expireExchange(unanswered);
        c.expireExchange(abandoned);
        vm.stopPrank();
        assertEq(c.escrowOf(ALICE), 0, "nothing stuck");
        assertEq(c.balanceOf(ALICE), 1000, "all refunded");
        _assertCommunity1Conserved();
    }
}
