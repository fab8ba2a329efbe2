// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev The exchange life cycle and ratings: every path, role check and revert.
contract ExchangeTest is Fixture {
    event ExchangeProposed(
        uint256 indexed exchangeId,
        address indexed payer,
        address indexed provider,
        uint256 communityId,
        uint256 amount,
        uint64 deadline
    );
    event ExchangeAccepted(uint256 indexed exchangeId);
    event ExchangeDeclined(uint256 indexed exchangeId);
    event ExchangeCancelled(uint256 indexed exchangeId);
    event ExchangeExpired(uint256 indexed exchangeId);
    event ExchangeCompleted(uint256 indexed exchangeId, uint256 amount);
    event ExchangeRated(uint256 indexed exchangeId, address indexed rater, address indexed ratee, uint8 stars);

    // ------------------------------------------------------------ proposeExchange

    function test_propose() public {
        uint64 deadline = uint64(T0) + DAY;
        vm.expectEmit(true, true, true, true, address(c));
        emit ExchangeProposed(1, ALICE, BOB, FJK, 300, deadline);
        uint256 id = _propose(ALICE, BOB, 300, deadline);
        assertEq(id, 1, "first id is 1");
        assertEq(c.exchangeCount(), 1, "exchangeCount");
        assertEq(c.balanceOf(ALICE), 700, "payer balance");
        assertEq(c.escrowOf(ALICE), 300, "payer escrow");
        assertEq(c.balanceOf(BOB), 1000, "provider untouched");
        assertEq(c.escrowOf(BOB), 0, "provider escrow");
        (address payer, address provider, uint256 community, uint256 amount, uint64 dl, uint8 state) = c.getExchange(id);
        assertEq(payer, ALICE, "payer");
        assertEq(provider, BOB, "provider");
        assertEq(community, FJK, "community");
        assertEq(amount, 300, "amount");
        assertEq(uint256(dl), uint256(deadline), "deadline");
        assertEq(uint256(state), uint256(PROPOSED), "state");
        _assertCommunity1Conserved();
    }

    function test_propose_idsIncrease() public {
        assertEq(_propose(ALICE, BOB, 1), 1, "1");
        assertEq(_propose(BOB, ALICE, 1), 2, "2");
        assertEq(_propose(DAVE, ALICE, 1), 3, "3");
        assertEq(c.exchangeCount(), 3, "count");
        assertEq(c.escrowOf(ALICE), 1, "alice escrow");
        assertEq(c.escrowOf(BOB), 1, "bob escrow");
    }

    function test_propose_wholeBalance() public {
        _propose(ALICE, BOB, 1000);
        assertEq(c.balanceOf(ALICE), 0, "all escrowed");
        assertEq(c.escrowOf(ALICE), 1000, "escrow");
    }

    function test_propose_revertsForNonOperator() public {
        vm.expectRevert(_unauthorized(ALICE, operatorRole));
        vm.prank(ALICE);
        c.proposeExchange(ALICE, BOB, 1, uint64(T0) + DAY);
    }

    function test_propose_revertsWhenPaused() public {
        _pause();
        vm.expectRevert(_paused());
        _propose(ALICE, BOB, 1);
    }

    function test_propose_revertsOnSelfExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.SelfExchange.selector, ALICE));
        _propose(ALICE, ALICE, 1);
    }

    function test_propose_revertsOnNonMembers() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotMember.selector, STRANGER));
        _propose(STRANGER, BOB, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotMember.selector, STRANGER));
        _propose(ALICE, STRANGER, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotMember.selector, address(0)));
        _propose(ALICE, address(0), 1);
    }

    function test_propose_revertsAcrossCommunities() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.CrossCommunity.selector, FJK, BJK));
        _propose(ALICE, CAROL, 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.CrossCommunity.selector, BJK, FJK));
        _propose(CAROL, ALICE, 1);
    }

    function test_propose_revertsOnZeroAmount() public {
        vm.expectRevert(BafokaCommunity.InvalidAmount.selector);
        _propose(ALICE, BOB, 0);
    }

    function test_propose_revertsOverBalance() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InsufficientBalance.selector, 1000, 1001));
        _propose(ALICE, BOB, 1001);
        _propose(ALICE, BOB, 600);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InsufficientBalance.selector, 400, 401));
        _propose(ALICE, DAVE, 401);
    }

    function test_propose_revertsOnHugeAmount() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InsufficientBalance.selector, 1000, type(uint256).max));
        _propose(ALICE, BOB, type(uint256).max);
    }

    function test_propose_revertsOnPastDeadline() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineInPast.selector, uint64(T0), T0));
        _propose(ALICE, BOB, 1, uint64(T0));
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineInPast.selector, uint64(T0 - 1), T0));
        _propose(ALICE, BOB, 1, uint64(T0 - 1));
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineInPast.selector, uint64(0), T0));
        _propose(ALICE, BOB, 1, 0);
        assertEq(_propose(ALICE, BOB, 1, uint64(T0 + 1)), 1, "one second ahead is fine");
    }

    // ------------------------------------------------------------ acceptExchange

    function test_accept() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectEmit(true, false, false, true, address(c));
        emit ExchangeAccepted(id);
        _accept(id);
        assertEq(uint256(_state(id)), uint256(ACCEPTED), "accepted");
        assertEq(c.escrowOf(ALICE), 300, "still escrowed");
        assertEq(c.balanceOf(BOB), 1000, "not paid yet");
    }

    function test_accept_atDeadline() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.warp(T0 + DAY);
        _accept(id);
        assertEq(uint256(_state(id)), uint256(ACCEPTED), "the deadline second itself is in time");
    }

    function test_accept_revertsAfterDeadline() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.warp(T0 + DAY + 1);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlinePassed.selector, id, uint64(T0 + DAY)));
        _accept(id);
    }

    function test_accept_revertsForNonOperator() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectRevert(_unauthorized(BOB, operatorRole));
        vm.prank(BOB);
        c.acceptExchange(id);
    }

    function test_accept_revertsWhenPaused() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _pause();
        vm.expectRevert(_paused());
        _accept(id);
    }

    function test_accept_revertsOnUnknownExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 0));
        _accept(0);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 1));
        _accept(1);
    }

    function test_accept_revertsOutsideProposed() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, ACCEPTED));
        _accept(id);
        uint256 declined = _propose(ALICE, BOB, 1);
        _decline(declined);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, declined, DECLINED));
        _accept(declined);
        uint256 cancelled = _propose(ALICE, BOB, 1);
        _cancel(cancelled);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, cancelled, CANCELLED));
        _accept(cancelled);
    }

    // ------------------------------------------------------------ declineExchange

    function test_decline_refundsPayer() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectEmit(true, false, false, true, address(c));
        emit ExchangeDeclined(id);
        _decline(id);
        assertEq(uint256(_state(id)), uint256(DECLINED), "declined");
        assertEq(c.balanceOf(ALICE), 1000, "refunded");
        assertEq(c.escrowOf(ALICE), 0, "escrow released");
        assertEq(c.balanceOf(BOB), 1000, "provider unpaid");
        _assertCommunity1Conserved();
    }

    function test_decline_afterDeadlineStillRefunds() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.warp(T0 + 2 * DAY);
        _decline(id);
        assertEq(c.balanceOf(ALICE), 1000, "refunded");
    }

    function test_decline_revertsForNonOperator() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectRevert(_unauthorized(BOB, operatorRole));
        vm.prank(BOB);
        c.declineExchange(id);
    }

    function test_decline_revertsWhenPaused() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _pause();
        vm.expectRevert(_paused());
        _decline(id);
    }

    function test_decline_revertsOnUnknownExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 7));
        _decline(7);
    }

    function test_decline_revertsOutsideProposed() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, ACCEPTED));
        _decline(id);
        _complete(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, COMPLETED));
        _decline(id);
        uint256 declined = _propose(ALICE, BOB, 1);
        _decline(declined);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, declined, DECLINED));
        _decline(declined);
    }

    // ------------------------------------------------------------ cancelExchange

    function test_cancel_refundsPayer() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectEmit(true, false, false, true, address(c));
        emit ExchangeCancelled(id);
        _cancel(id);
        assertEq(uint256(_state(id)), uint256(CANCELLED), "cancelled");
        assertEq(c.balanceOf(ALICE), 1000, "refunded");
        assertEq(c.escrowOf(ALICE), 0, "escrow released");
        _assertCommunity1Conserved();
    }

    function test_cancel_revertsAfterAcceptance() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, ACCEPTED));
        _cancel(id);
        assertEq(c.escrowOf(ALICE), 300, "still escrowed for the provider");
    }

    function test_cancel_revertsForNonOperator() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectRevert(_unauthorized(ALICE, operatorRole));
        vm.prank(ALICE);
        c.cancelExchange(id);
    }

    function test_cancel_revertsWhenPaused() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _pause();
        vm.expectRevert(_paused());
        _cancel(id);
    }

    function test_cancel_revertsOnUnknownExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 1));
        _cancel(1);
    }

    function test_cancel_revertsTwice() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _cancel(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, CANCELLED));
        _cancel(id);
        assertEq(c.balanceOf(ALICE), 1000, "refunded once");
    }

    // ------------------------------------------------------------ completeExchange

    function test_complete_paysProvider() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.expectEmit(true, false, false, true, address(c));
        emit ExchangeCompleted(id, 300);
        _complete(id);
        assertEq(uint256(_state(id)), uint256(COMPLETED), "completed");
        assertEq(c.balanceOf(ALICE), 700, "payer paid");
        assertEq(c.escrowOf(ALICE), 0, "escrow released");
        assertEq(c.balanceOf(BOB), 1300, "provider received");
        assertEq(c.exchangeCountOf(ALICE), 1, "payer count");
        assertEq(c.exchangeCountOf(BOB), 1, "provider count");
        assertEq(c.exchangeCountOf(DAVE), 0, "bystander count");
        (,,,,, uint256 exchanges) = c.getCommunity(FJK);
        assertEq(exchanges, 1, "community count");
        (,,,,, exchanges) = c.getCommunity(BJK);
        assertEq(exchanges, 0, "other community count");
        _assertCommunity1Conserved();
    }

    function test_complete_afterDeadlineWhileNotExpired() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.warp(T0 + 3 * DAY);
        _complete(id);
        assertEq(c.balanceOf(BOB), 1300, "late confirmation still pays");
    }

    function test_complete_revertsBeforeAcceptance() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, PROPOSED));
        _complete(id);
    }

    function test_complete_revertsTwice() public {
        uint256 id = _completedExchange(300);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, COMPLETED));
        _complete(id);
        assertEq(c.balanceOf(BOB), 1300, "paid once");
    }

    function test_complete_revertsForNonOperator() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.expectRevert(_unauthorized(ALICE, operatorRole));
        vm.prank(ALICE);
        c.completeExchange(id);
    }

    function test_complete_revertsWhenPaused() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        _pause();
        vm.expectRevert(_paused());
        _complete(id);
    }

    function test_complete_revertsOnUnknownExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 42));
        _complete(42);
    }

    // ------------------------------------------------------------ expireExchange

    function test_expire_proposedRefunds() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.warp(T0 + DAY + 1);
        vm.expectEmit(true, false, false, true, address(c));
        emit ExchangeExpired(id);
        vm.prank(STRANGER);
        c.expireExchange(id);
        assertEq(uint256(_state(id)), uint256(EXPIRED), "expired");
        assertEq(c.balanceOf(ALICE), 1000, "refunded");
        assertEq(c.escrowOf(ALICE), 0, "escrow released");
        _assertCommunity1Conserved();
    }

    function test_expire_acceptedRefunds() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.warp(T0 + DAY + 1);
        vm.prank(BOB);
        c.expireExchange(id);
        assertEq(uint256(_state(id)), uint256(EXPIRED), "expired");
        assertEq(c.balanceOf(ALICE), 1000, "refunded");
        assertEq(c.balanceOf(BOB), 1000, "provider unpaid");
    }

    function test_expire_revertsUntilDeadlinePassed() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineNotReached.selector, id, uint64(T0 + DAY)));
        c.expireExchange(id);
        vm.warp(T0 + DAY);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.DeadlineNotReached.selector, id, uint64(T0 + DAY)));
        c.expireExchange(id);
        vm.warp(T0 + DAY + 1);
        c.expireExchange(id);
    }

    function test_expire_revertsOnEndedExchanges() public {
        uint256 done = _completedExchange(10);
        uint256 declined = _propose(ALICE, BOB, 10);
        _decline(declined);
        uint256 cancelled = _propose(ALICE, BOB, 10);
        _cancel(cancelled);
        uint256 expired = _propose(ALICE, BOB, 10);
        vm.warp(T0 + 5 * DAY);
        c.expireExchange(expired);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, done, COMPLETED));
        c.expireExchange(done);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, declined, DECLINED));
        c.expireExchange(declined);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, cancelled, CANCELLED));
        c.expireExchange(cancelled);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, expired, EXPIRED));
        c.expireExchange(expired);
        _assertCommunity1Conserved();
    }

    function test_expire_revertsOnUnknownExchange() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 3));
        c.expireExchange(3);
    }

    function test_expire_revertsWhenPaused() public {
        uint256 id = _propose(ALICE, BOB, 300);
        vm.warp(T0 + 2 * DAY);
        _pause();
        vm.expectRevert(_paused());
        c.expireExchange(id);
    }

    function test_expire_endsTheExchangeForGood() public {
        uint256 id = _propose(ALICE, BOB, 300);
        _accept(id);
        vm.warp(T0 + 2 * DAY);
        c.expireExchange(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, EXPIRED));
        _complete(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, EXPIRED));
        _cancel(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, EXPIRED));
        _accept(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, EXPIRED));
        _rate(id, ALICE, 5);
        assertEq(c.balanceOf(ALICE), 1000, "refunded once");
        assertEq(c.balanceOf(BOB), 1000, "never paid");
    }

    // ------------------------------------------------------------ getExchange

    function test_getExchange_unknownIsNone() public view {
        (address payer, address provider, uint256 community, uint256 amount, uint64 deadline, uint8 state) =
            c.getExchange(99);
        assertEq(payer, address(0), "payer");
        assertEq(provider, address(0), "provider");
        assertEq(community + amount + deadline + state, 0, "all zero, state None");
    }

    // ------------------------------------------------------------ rateExchange

    function test_rate_payerRatesProvider() public {
        uint256 id = _completedExchange(100);
        vm.expectEmit(true, true, true, true, address(c));
        emit ExchangeRated(id, ALICE, BOB, 4);
        _rate(id, ALICE, 4);
        assertEq(c.reputationOf(BOB), 4, "provider reputation");
        assertEq(c.ratingCountOf(BOB), 1, "provider ratings");
        assertEq(c.reputationOf(ALICE), 0, "payer untouched");
        (bool payerRated, bool providerRated) = c.exchangeRatings(id);
        assertTrue(payerRated, "payer rated");
        assertFalse(providerRated, "provider not yet");
    }

    function test_rate_providerRatesPayer() public {
        uint256 id = _completedExchange(100);
        vm.expectEmit(true, true, true, true, address(c));
        emit ExchangeRated(id, BOB, ALICE, 2);
        _rate(id, BOB, 2);
        assertEq(c.reputationOf(ALICE), 2, "payer reputation");
        assertEq(c.reputationOf(BOB), 0, "provider untouched");
    }

    function test_rate_bothPartiesOnceEach() public {
        uint256 id = _completedExchange(100);
        _rate(id, ALICE, 5);
        _rate(id, BOB, 3);
        assertEq(c.reputationOf(BOB), 5, "bob");
        assertEq(c.reputationOf(ALICE), 3, "alice");
        uint256 id2 = _completedExchange(100);
        _rate(id2, ALICE, 1);
        assertEq(c.reputationOf(BOB), 6, "sums stars");
        assertEq(c.ratingCountOf(BOB), 2, "two ratings");
        (bool payerRated, bool providerRated) = c.exchangeRatings(id);
        assertTrue(payerRated && providerRated, "both rated");
    }

    function test_rate_revertsTwice() public {
        uint256 id = _completedExchange(100);
        _rate(id, ALICE, 5);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyRated.selector, id, ALICE));
        _rate(id, ALICE, 5);
        _rate(id, BOB, 5);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyRated.selector, id, BOB));
        _rate(id, BOB, 1);
    }

    function test_rate_revertsForOutsider() public {
        uint256 id = _completedExchange(100);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotParty.selector, id, DAVE));
        _rate(id, DAVE, 5);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.NotParty.selector, id, address(0)));
        _rate(id, address(0), 5);
    }

    function test_rate_revertsOnBadStars() public {
        uint256 id = _completedExchange(100);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InvalidStars.selector, uint8(0)));
        _rate(id, ALICE, 0);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InvalidStars.selector, uint8(6)));
        _rate(id, ALICE, 6);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.InvalidStars.selector, uint8(255)));
        _rate(id, ALICE, 255);
        _rate(id, ALICE, 1);
    }

    function test_rate_revertsUnlessCompleted() public {
        uint256 id = _propose(ALICE, BOB, 100);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, PROPOSED));
        _rate(id, ALICE, 5);
        _accept(id);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, id, ACCEPTED));
        _rate(id, ALICE, 5);
        uint256 declined = _propose(ALICE, BOB, 1);
        _decline(declined);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.WrongState.selector, declined, DECLINED));
        _rate(declined, BOB, 5);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownExchange.selector, 77));
        _rate(77, BOB, 5);
    }

    function test_rate_revertsForNonOperator() public {
        uint256 id = _completedExchange(100);
        vm.expectRevert(_unauthorized(ALICE, operatorRole));
        vm.prank(ALICE);
        c.rateExchange(id, ALICE, 5);
    }

    function test_rate_revertsWhenPaused() public {
        uint256 id = _completedExchange(100);
        _pause();
        vm.expectRevert(_paused());
        _rate(id, ALICE, 5);
    }
}
