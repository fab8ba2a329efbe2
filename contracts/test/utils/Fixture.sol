// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {BafokaCommunity} from "../../src/BafokaCommunity.sol";
import {BfkTest} from "./BfkTest.sol";

/// @dev A deployed contract with an admin, a separate operator, and four members:
///      alice, bob and dave in community 1 (Fondjomenkwet), carol in community 2 (Banja).
abstract contract Fixture is BfkTest {
    BafokaCommunity internal c;

    address internal constant ADMIN = address(0xAD);
    address internal constant OPERATOR = address(0x0BE);
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant DAVE = address(0xDA7E);
    address internal constant CAROL = address(0xCA201);
    address internal constant BACKER = address(0xBAC);
    address internal constant STRANGER = address(0x5757);

    uint256 internal constant FJK = 1; // Fondjomenkwet, currency Fonjoka
    uint256 internal constant BJK = 2; // Banja, currency Banjika
    uint256 internal constant BFK = 3; // Bafouka, currency Bafouka

    uint256 internal constant T0 = 1_700_000_000;
    uint64 internal constant DAY = 1 days;

    bytes32 internal operatorRole;
    bytes32 internal constant ADMIN_ROLE = 0x00;

    // exchange states
    uint8 internal constant NONE = 0;
    uint8 internal constant PROPOSED = 1;
    uint8 internal constant ACCEPTED = 2;
    uint8 internal constant COMPLETED = 3;
    uint8 internal constant DECLINED = 4;
    uint8 internal constant CANCELLED = 5;
    uint8 internal constant EXPIRED = 6;

    function setUp() public virtual {
        vm.warp(T0);
        vm.prank(ADMIN);
        c = new BafokaCommunity();
        operatorRole = c.OPERATOR_ROLE();
        vm.prank(ADMIN);
        c.grantRole(operatorRole, OPERATOR);

        _register(ALICE, FJK);
        _register(BOB, FJK);
        _register(DAVE, FJK);
        _register(CAROL, BJK);

        vm.label(address(c), "BafokaCommunity");
        vm.label(ADMIN, "admin");
        vm.label(OPERATOR, "operator");
        vm.label(ALICE, "alice");
        vm.label(BOB, "bob");
        vm.label(DAVE, "dave");
        vm.label(CAROL, "carol");
        vm.label(BACKER, "backer");
        vm.label(STRANGER, "stranger");
    }

    // ---------------------------------------------------------------- actions

    function _register(address member, uint256 communityId) internal {
        vm.prank(OPERATOR);
        c.registerMember(member, communityId);
    }

    function _propose(address payer, address provider, uint256 amount) internal returns (uint256) {
        return _propose(payer, provider, amount, uint64(block.timestamp) + DAY);
    }

    function _propose(address payer, address provider, uint256 amount, uint64 deadline) internal returns (uint256) {
        vm.prank(OPERATOR);
        return c.proposeExchange(payer, provider, amount, deadline);
    }

    function _accept(uint256 id) internal {
        vm.prank(OPERATOR);
        c.acceptExchange(id);
    }

    function _complete(uint256 id) internal {
        vm.prank(OPERATOR);
        c.completeExchange(id);
    }

    function _decline(uint256 id) internal {
        vm.prank(OPERATOR);
        c.declineExchange(id);
    }

    function _cancel(uint256 id) internal {
        vm.prank(OPERATOR);
        c.cancelExchange(id);
    }

    function _rate(uint256 id, address rater, uint8 stars) internal {
        vm.prank(OPERATOR);
        c.rateExchange(id, rater, stars);
    }

    function _approveBacker(address backer, uint256 communityId, uint256 cap) internal {
        vm.prank(ADMIN);
        c.approveBacker(backer, communityId, cap);
    }

    function _recharge(address backer, address member, uint256 amount) internal {
        vm.prank(backer);
        c.recharge(member, amount);
    }

    function _pause() internal {
        vm.prank(ADMIN);
        c.pause();
    }

    /// @dev A completed exchange of `amount` from alice to bob.
    function _completedExchange(uint256 amount) internal returns (uint256 id) {
        id = _propose(ALICE, BOB, amount);
        _accept(id);
        _complete(id);
    }

    // ---------------------------------------------------------------- checks

    function _state(uint256 id) internal view returns (uint8 state) {
        (,,,,, state) = c.getExchange(id);
    }

    function _supply(uint256 communityId) internal view returns (uint256 supply) {
        (,,,, supply,) = c.getCommunity(communityId);
    }

    function _held(address member) internal view returns (uint256) {
        return c.balanceOf(member) + c.escrowOf(member);
    }

    /// @dev The members of the fixture's community 1 hold exactly its supply.
    function _assertCommunity1Conserved() internal view {
        assertEq(_held(ALICE) + _held(BOB) + _held(DAVE), _supply(FJK), "community 1: balances + escrow == supply");
    }

    // ---------------------------------------------------------------- errors

    function _unauthorized(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role);
    }

    function _paused() internal pure returns (bytes4) {
        return Pausable.EnforcedPause.selector;
    }
}
