// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev Backer approval, revocation and recharges within the weekly cap.
contract BackerTest is Fixture {
    event BackerApproved(address indexed backer, uint256 indexed communityId, uint256 weeklyCap);
    event BackerRevoked(address indexed backer);
    event Recharged(address indexed backer, address indexed member, uint256 indexed communityId, uint256 amount);

    uint256 internal constant CAP = 5000;

    // ------------------------------------------------------------ approveBacker

    function test_approveBacker() public {
        vm.expectEmit(true, true, false, true, address(c));
        emit BackerApproved(BACKER, FJK, CAP);
        _approveBacker(BACKER, FJK, CAP);
        (uint256 community, uint256 cap, uint256 used, bool active) = c.backerOf(BACKER);
        assertEq(community, FJK, "community");
        assertEq(cap, CAP, "cap");
        assertEq(used, 0, "used");
        assertTrue(active, "active");
        assertEq(c.rechargeableThisWeek(BACKER), CAP, "rechargeable");
    }

    function test_approveBacker_unknownBackerViews() public view {
        (uint256 community, uint256 cap, uint256 used, bool active) = c.backerOf(STRANGER);
        assertEq(community + cap + used, 0, "all zero");
        assertFalse(active, "inactive");
        assertEq(c.rechargeableThisWeek(STRANGER), 0, "nothing to mint");
    }

    function test_approveBacker_revertsForNonAdmin() public {
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(_unauthorized(BACKER, ADMIN_ROLE));
        vm.prank(BACKER);
        c.approveBacker(BACKER, FJK, CAP);
    }

    function test_approveBacker_revertsOnZeroAddress() public {
        vm.expectRevert(BafokaCommunity.ZeroAddress.selector);
        _approveBacker(address(0), FJK, CAP);
    }

    function test_approveBacker_revertsOnUnknownCommunity() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 0));
        _approveBacker(BACKER, 0, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 9));
        _approveBacker(BACKER, 9, CAP);
    }

    function test_approveBacker_revertsOnZeroCap() public {
        vm.expectRevert(BafokaCommunity.InvalidAmount.selector);
        _approveBacker(BACKER, FJK, 0);
    }

    function test_approveBacker_revertsOnHugeCap() public {
        uint256 limit = type(uint96).max;
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AmountTooLarge.selector, limit + 1, limit));
        _approveBacker(BACKER, FJK, limit + 1);
        _approveBacker(BACKER, FJK, limit);
    }

    function test_approveBacker_worksWhilePaused() public {
        _pause();
        _approveBacker(BACKER, FJK, CAP);
        (,,, bool active) = c.backerOf(BACKER);
        assertTrue(active, "admin work goes on while paused");
    }

    function test_approveBacker_againSameWeekKeepsUsage() public {
        _approveBacker(BACKER, FJK, CAP);
        _recharge(BACKER, ALICE, 4000);
        _approveBacker(BACKER, FJK, 6000);
        assertEq(c.rechargeableThisWeek(BACKER), 2000, "raising the cap does not reset the week");
        _approveBacker(BACKER, FJK, 3000);
        assertEq(c.rechargeableThisWeek(BACKER), 0, "a cap under the usage leaves nothing");
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, 0, 1));
        _recharge(BACKER, ALICE, 1);
    }

    function test_approveBacker_otherCommunityStartsFresh() public {
        _approveBacker(BACKER, FJK, CAP);
        _recharge(BACKER, ALICE, CAP);
        _approveBacker(BACKER, BJK, CAP);
        (uint256 community,, uint256 used,) = c.backerOf(BACKER);
        assertEq(community, BJK, "moved");
        assertEq(used, 0, "fresh usage");
        _recharge(BACKER, CAROL, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongCommunity.selector, BJK, FJK));
        _recharge(BACKER, ALICE, 1);
    }

    // ------------------------------------------------------------ revokeBacker

    function test_revokeBacker() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectEmit(true, false, false, true, address(c));
        emit BackerRevoked(BACKER);
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
        (uint256 community, uint256 cap,, bool active) = c.backerOf(BACKER);
        assertFalse(active, "inactive");
        assertEq(community, FJK, "history kept");
        assertEq(cap, CAP, "cap kept");
        assertEq(c.rechargeableThisWeek(BACKER), 0, "nothing to mint");
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, BACKER));
        _recharge(BACKER, ALICE, 1);
    }

    function test_revokeBacker_revertsForNonAdmin() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.revokeBacker(BACKER);
        vm.expectRevert(_unauthorized(BACKER, ADMIN_ROLE));
        vm.prank(BACKER);
        c.revokeBacker(BACKER);
    }

    function test_revokeBacker_revertsWhenNotActive() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, BACKER));
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
        _approveBacker(BACKER, FJK, CAP);
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, BACKER));
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
    }

    function test_revokeBacker_reapprovalSameWeekKeepsUsage() public {
        _approveBacker(BACKER, FJK, CAP);
        _recharge(BACKER, ALICE, CAP);
        vm.prank(ADMIN);
        c.revokeBacker(BACKER);
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, 0, 1));
        _recharge(BACKER, ALICE, 1);
    }

    // ------------------------------------------------------------ recharge

    function test_recharge() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectEmit(true, true, true, true, address(c));
        emit Recharged(BACKER, ALICE, FJK, 1200);
        _recharge(BACKER, ALICE, 1200);
        assertEq(c.balanceOf(ALICE), 2200, "credited");
        assertEq(_supply(FJK), 4200, "supply grows with recharges");
        assertEq(_supply(BJK), 1000, "other community untouched");
        (,, uint256 used,) = c.backerOf(BACKER);
        assertEq(used, 1200, "used");
        assertEq(c.rechargeableThisWeek(BACKER), CAP - 1200, "remaining");
        _assertCommunity1Conserved();
    }

    function test_recharge_upToTheCap() public {
        _approveBacker(BACKER, FJK, CAP);
        _recharge(BACKER, ALICE, 2000);
        _recharge(BACKER, BOB, 3000);
        assertEq(c.rechargeableThisWeek(BACKER), 0, "cap reached");
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, 0, 1));
        _recharge(BACKER, DAVE, 1);
    }

    function test_recharge_revertsOverCap() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, CAP, CAP + 1));
        _recharge(BACKER, ALICE, CAP + 1);
        _recharge(BACKER, ALICE, 100);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WeeklyCapExceeded.selector, CAP - 100, CAP));
        _recharge(BACKER, ALICE, CAP);
    }

    function test_recharge_capResetsEachWeek() public {
        _approveBacker(BACKER, FJK, CAP);
        uint256 weekStart = (T0 / 1 weeks + 1) * 1 weeks;
        vm.warp(weekStart - 1);
        _recharge(BACKER, ALICE, CAP);
        assertEq(c.currentWeek(), T0 / 1 weeks, "same week");
        vm.warp(weekStart);
        assertEq(c.currentWeek(), T0 / 1 weeks + 1, "next week");
        (,, uint256 used,) = c.backerOf(BACKER);
        assertEq(used, 0, "usage reads 0 in a new week");
        assertEq(c.rechargeableThisWeek(BACKER), CAP, "full cap again");
        _recharge(BACKER, ALICE, CAP);
        assertEq(c.balanceOf(ALICE), 1000 + 2 * CAP, "two weeks of recharges");
    }

    function test_recharge_revertsForNonBackers() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, STRANGER));
        _recharge(STRANGER, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, ADMIN));
        _recharge(ADMIN, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, OPERATOR));
        _recharge(OPERATOR, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotActiveBacker.selector, ALICE));
        _recharge(ALICE, ALICE, 1);
    }

    function test_recharge_revertsOnZeroAmount() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(BafokaCommunity.InvalidAmount.selector);
        _recharge(BACKER, ALICE, 0);
    }

    function test_recharge_revertsForNonMember() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotMember.selector, STRANGER));
        _recharge(BACKER, STRANGER, 1);
    }

    function test_recharge_revertsInOtherCommunity() public {
        _approveBacker(BACKER, FJK, CAP);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongCommunity.selector, FJK, BJK));
        _recharge(BACKER, CAROL, 1);
        assertEq(_supply(BJK), 1000, "no value into community 2");
    }

    function test_recharge_revertsWhenPaused() public {
        _approveBacker(BACKER, FJK, CAP);
        _pause();
        vm.expectRevert(_paused());
        _recharge(BACKER, ALICE, 1);
    }

    function test_recharge_revertsPastTheSupplyLimit() public {
        uint256 limit = type(uint96).max;
        _approveBacker(BACKER, FJK, limit);
        uint256 room = limit - 3000;
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AmountTooLarge.selector, room + 1, room));
        _recharge(BACKER, ALICE, room + 1);
        _recharge(BACKER, ALICE, room);
        assertEq(_supply(FJK), limit, "supply at its limit");
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AmountTooLarge.selector, 1000, 0));
        _register(STRANGER, FJK);
        _assertCommunity1Conserved();
        // Balances at the limit still move safely.
        uint256 id = _propose(ALICE, BOB, c.balanceOf(ALICE));
        _accept(id);
        _complete(id);
        assertEq(c.balanceOf(BOB), limit - 1000, "bob holds all but dave's grant");
        _assertCommunity1Conserved();
    }
}
