// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev Deployment, roles, communities, members and pausing.
contract CommunityTest is Fixture {
    event CommunityAdded(uint256 indexed communityId, string name, string currencyName, string currencySymbol);
    event MemberRegistered(address indexed member, uint256 indexed communityId, uint256 grant);
    event Paused(address account);
    event Unpaused(address account);

    // ------------------------------------------------------------ constructor

    function test_constructor_grantsBothRolesToDeployer() public view {
        assertTrue(c.hasRole(ADMIN_ROLE, ADMIN), "deployer is admin");
        assertTrue(c.hasRole(operatorRole, ADMIN), "deployer is operator");
        assertFalse(c.hasRole(ADMIN_ROLE, OPERATOR), "operator is not admin");
        assertEq(c.OPERATOR_ROLE(), keccak256("OPERATOR_ROLE"), "OPERATOR_ROLE");
        assertEq(c.DEFAULT_ADMIN_ROLE(), bytes32(0), "DEFAULT_ADMIN_ROLE");
    }

    function test_constructor_createsThreeCommunities() public view {
        assertEq(c.communityCount(), 3, "three communities");
        _assertCommunity(FJK, "Fondjomenkwet", "Fonjoka", "FJK");
        _assertCommunity(BJK, "Banja", "Banjika", "BJK");
        _assertCommunity(BFK, "Bafouka", "Bafouka", "BFK");
    }

    function test_constructor_emitsCommunityAdded() public {
        vm.expectEmit(true, false, false, true);
        emit CommunityAdded(1, "Fondjomenkwet", "Fonjoka", "FJK");
        vm.expectEmit(true, false, false, true);
        emit CommunityAdded(2, "Banja", "Banjika", "BJK");
        vm.expectEmit(true, false, false, true);
        emit CommunityAdded(3, "Bafouka", "Bafouka", "BFK");
        BafokaCommunity fresh = new BafokaCommunity();
        assertEq(fresh.communityCount(), 3, "count");
        (,,, uint256 members, uint256 supply, uint256 exchanges) = fresh.getCommunity(BFK);
        assertEq(members + supply + exchanges, 0, "a new community is empty");
    }

    function test_initialGrant() public view {
        assertEq(c.INITIAL_GRANT(), 1000, "INITIAL_GRANT");
    }

    function test_supportsInterface() public view {
        assertTrue(c.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        assertTrue(c.supportsInterface(type(IERC165).interfaceId), "IERC165");
        assertFalse(c.supportsInterface(0xffffffff), "0xffffffff");
    }

    // ------------------------------------------------------------ addCommunity

    function test_addCommunity() public {
        vm.expectEmit(true, false, false, true, address(c));
        emit CommunityAdded(4, "Bangou", "Bangoula", "BGL");
        vm.prank(ADMIN);
        uint256 id = c.addCommunity("Bangou", "Bangoula", "BGL");
        assertEq(id, 4, "id");
        assertEq(c.communityCount(), 4, "count");
        _assertCommunity(4, "Bangou", "Bangoula", "BGL");
        _register(STRANGER, 4);
        assertEq(c.communityOf(STRANGER), 4, "members can join it");
    }

    function test_addCommunity_revertsForNonAdmin() public {
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.addCommunity("X", "Y", "Z");
        vm.expectRevert(_unauthorized(STRANGER, ADMIN_ROLE));
        vm.prank(STRANGER);
        c.addCommunity("X", "Y", "Z");
    }

    function test_addCommunity_revertsOnEmptyField() public {
        vm.startPrank(ADMIN);
        vm.expectRevert(BafokaCommunity.EmptyCommunityField.selector);
        c.addCommunity("", "Y", "Z");
        vm.expectRevert(BafokaCommunity.EmptyCommunityField.selector);
        c.addCommunity("X", "", "Z");
        vm.expectRevert(BafokaCommunity.EmptyCommunityField.selector);
        c.addCommunity("X", "Y", "");
        vm.stopPrank();
        assertEq(c.communityCount(), 3, "nothing added");
    }

    function test_addCommunity_worksWhilePaused() public {
        _pause();
        vm.prank(ADMIN);
        assertEq(c.addCommunity("X", "Y", "Z"), 4, "admin work goes on while paused");
    }

    function test_getCommunity_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 0));
        c.getCommunity(0);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 4));
        c.getCommunity(4);
    }

    // ------------------------------------------------------------ registerMember

    function test_registerMember() public {
        vm.expectEmit(true, true, false, true, address(c));
        emit MemberRegistered(STRANGER, BFK, 1000);
        _register(STRANGER, BFK);
        assertEq(c.communityOf(STRANGER), BFK, "communityOf");
        assertEq(c.balanceOf(STRANGER), 1000, "granted");
        assertEq(c.escrowOf(STRANGER), 0, "no escrow");
        (,,, uint256 members, uint256 supply, uint256 exchanges) = c.getCommunity(BFK);
        assertEq(members, 1, "members");
        assertEq(supply, 1000, "supply");
        assertEq(exchanges, 0, "exchanges");
    }

    function test_registerMember_fixtureState() public view {
        (,,, uint256 members, uint256 supply,) = c.getCommunity(FJK);
        assertEq(members, 3, "three in community 1");
        assertEq(supply, 3000, "three grants");
        assertEq(c.communityOf(CAROL), BJK, "carol in 2");
        assertEq(c.communityOf(STRANGER), 0, "0 = not a member");
        _assertCommunity1Conserved();
    }

    function test_registerMember_byDeployerWhoIsOperator() public {
        vm.prank(ADMIN);
        c.registerMember(STRANGER, FJK);
        assertEq(c.communityOf(STRANGER), FJK, "registered");
    }

    function test_registerMember_revertsForNonOperator() public {
        vm.expectRevert(_unauthorized(STRANGER, operatorRole));
        vm.prank(STRANGER);
        c.registerMember(STRANGER, FJK);
        vm.expectRevert(_unauthorized(BACKER, operatorRole));
        vm.prank(BACKER);
        c.registerMember(STRANGER, FJK);
    }

    function test_registerMember_revokedOperatorCannot() public {
        vm.prank(ADMIN);
        c.revokeRole(operatorRole, OPERATOR);
        vm.expectRevert(_unauthorized(OPERATOR, operatorRole));
        vm.prank(OPERATOR);
        c.registerMember(STRANGER, FJK);
    }

    function test_registerMember_revertsOnZeroAddress() public {
        vm.expectRevert(BafokaCommunity.ZeroAddress.selector);
        _register(address(0), FJK);
    }

    function test_registerMember_revertsOnUnknownCommunity() public {
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 0));
        _register(STRANGER, 0);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.UnknownCommunity.selector, 4));
        _register(STRANGER, 4);
    }

    function test_registerMember_grantsOnceAndOneCommunityForever() public {
        _propose(ALICE, BOB, 300);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyMember.selector, ALICE));
        _register(ALICE, FJK);
        vm.expectRevert(abi.encodeWithSelector(BafokaCommunity.AlreadyMember.selector, ALICE));
        _register(ALICE, BJK);
        assertEq(c.communityOf(ALICE), FJK, "still community 1");
        assertEq(c.balanceOf(ALICE), 700, "no second grant");
        assertEq(_supply(FJK), 3000, "supply unchanged");
        assertEq(_supply(BJK), 1000, "other community unchanged");
    }

    function test_registerMember_revertsWhenPaused() public {
        _pause();
        vm.expectRevert(_paused());
        _register(STRANGER, FJK);
    }

    // ------------------------------------------------------------ member views

    function test_getMember() public {
        uint256 id = _completedExchange(250);
        _rate(id, ALICE, 4);
        _propose(ALICE, DAVE, 100);
        (uint256 community, uint256 balance, uint256 escrow, uint256 reputation, uint256 ratings, uint256 exchanges) =
            c.getMember(BOB);
        assertEq(community, FJK, "community");
        assertEq(balance, 1250, "balance");
        assertEq(escrow, 0, "escrow");
        assertEq(reputation, 4, "reputation");
        assertEq(ratings, 1, "ratings");
        assertEq(exchanges, 1, "exchanges");
        (, balance, escrow,,, exchanges) = c.getMember(ALICE);
        assertEq(balance, 650, "alice balance");
        assertEq(escrow, 100, "alice escrow");
        (community, balance, escrow, reputation, ratings, exchanges) = c.getMember(STRANGER);
        assertEq(community + balance + escrow + reputation + ratings + exchanges, 0, "non-member is all zero");
    }

    // ------------------------------------------------------------ pause

    function test_pause_unpause() public {
        vm.expectEmit(false, false, false, true, address(c));
        emit Paused(ADMIN);
        _pause();
        assertTrue(c.paused(), "paused");
        vm.expectEmit(false, false, false, true, address(c));
        emit Unpaused(ADMIN);
        vm.prank(ADMIN);
        c.unpause();
        assertFalse(c.paused(), "unpaused");
        _register(STRANGER, FJK);
    }

    function test_pause_revertsForNonAdmin() public {
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.pause();
        vm.expectRevert(_unauthorized(STRANGER, ADMIN_ROLE));
        vm.prank(STRANGER);
        c.pause();
    }

    function test_unpause_revertsForNonAdmin() public {
        _pause();
        vm.expectRevert(_unauthorized(OPERATOR, ADMIN_ROLE));
        vm.prank(OPERATOR);
        c.unpause();
    }

    function test_pause_twiceAndUnpauseWhenNotPausedRevert() public {
        vm.expectRevert(Pausable.ExpectedPause.selector);
        vm.prank(ADMIN);
        c.unpause();
        _pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(ADMIN);
        c.pause();
    }

    function test_pause_viewsStillWork() public {
        _propose(ALICE, BOB, 10);
        _pause();
        assertEq(c.balanceOf(ALICE), 990, "balanceOf");
        assertEq(c.escrowOf(ALICE), 10, "escrowOf");
        assertEq(c.exchangeCount(), 1, "exchangeCount");
        assertEq(_state(1), PROPOSED, "getExchange");
    }

    // ------------------------------------------------------------ helpers

    function _assertCommunity(uint256 id, string memory name, string memory currency, string memory symbol)
        internal
        view
    {
        (string memory n, string memory cn, string memory cs,,,) = c.getCommunity(id);
        assertEq(n, name, "name");
        assertEq(cn, currency, "currencyName");
        assertEq(cs, symbol, "currencySymbol");
    }
}
