// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../src/BafokaCommunity.sol";
import {BfkTest, FuzzSelector} from "./utils/BfkTest.sol";
import {Handler} from "./utils/Handler.sol";

/// @dev The design's invariants, held over random sequences of the handler's operations.
contract InvariantTest is BfkTest {
    BafokaCommunity internal c;
    Handler internal h;

    uint256 internal constant ACTORS = 10;

    function setUp() public {
        vm.warp(1_700_000_000);
        c = new BafokaCommunity();
        address[] memory actors = new address[](ACTORS);
        for (uint256 i = 0; i < ACTORS; i++) {
            actors[i] = address(uint160(0xA000 + i));
        }
        address[] memory backers = new address[](3);
        for (uint256 i = 0; i < 3; i++) {
            backers[i] = address(uint160(0xB000 + i));
        }
        h = new Handler(c, actors, backers);
        c.grantRole(c.OPERATOR_ROLE(), address(h));
        c.grantRole(c.DEFAULT_ADMIN_ROLE(), address(h));
        h.bootstrap();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(h);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = Handler.register.selector;
        selectors[1] = Handler.propose.selector;
        selectors[2] = Handler.accept.selector;
        selectors[3] = Handler.decline.selector;
        selectors[4] = Handler.cancel.selector;
        selectors[5] = Handler.complete.selector;
        selectors[6] = Handler.expire.selector;
        selectors[7] = Handler.rate.selector;
        selectors[8] = Handler.recharge.selector;
        selectors[9] = Handler.rogueRecharge.selector;
        selectors[10] = Handler.toggleBacker.selector;
        selectors[11] = Handler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(h), selectors: selectors});
    }

    /// In each community, the balances plus escrow of its members equal its supply, which is
    /// the grants plus the recharges.
    function invariant_conservationPerCommunity() public view {
        for (uint256 k = 1; k <= 3; k++) {
            uint256 held;
            for (uint256 i = 0; i < ACTORS; i++) {
                address a = h.actor(i);
                if (c.communityOf(a) == k) held += c.balanceOf(a) + c.escrowOf(a);
            }
            (,,,, uint256 supply,) = c.getCommunity(k);
            assertEq(held, supply, "balances + escrow == supply");
            assertEq(supply, h.ghostMinted(k), "supply == grants + recharges");
        }
    }

    /// Every balance and escrow is what the rules give: grants, recharges, escrow on proposal,
    /// payment to the provider on completion, refund to the payer on any other end.
    function invariant_balancesFollowTheRules() public view {
        for (uint256 i = 0; i < ACTORS; i++) {
            address a = h.actor(i);
            assertEq(c.balanceOf(a), h.ghostBalance(a), "balance");
            assertEq(c.escrowOf(a), h.ghostEscrow(a), "escrow");
        }
    }

    /// Value never crosses communities: every exchange stays inside one community.
    function invariant_noValueAcrossCommunities() public view {
        assertFalse(h.crossCommunityExchange(), "a cross-community exchange was accepted");
        uint256 n = c.exchangeCount();
        for (uint256 id = 1; id <= n; id++) {
            (address payer, address provider, uint256 community,,,) = c.getExchange(id);
            assertEq(c.communityOf(payer), community, "payer's community");
            assertEq(c.communityOf(provider), community, "provider's community");
            assertTrue(payer != provider, "two parties");
        }
    }

    /// A member belongs to exactly one community and is granted once.
    function invariant_oneCommunityGrantedOnce() public view {
        assertFalse(h.secondGrant(), "a member was registered twice");
        uint256[4] memory members;
        for (uint256 i = 0; i < ACTORS; i++) {
            address a = h.actor(i);
            uint256 k = c.communityOf(a);
            assertEq(k, h.ghostCommunity(a), "community never changes");
            assertLe(h.ghostGrants(a), 1, "granted at most once");
            assertEq(h.ghostGrants(a), k == 0 ? 0 : 1, "granted iff member");
            members[k]++;
        }
        for (uint256 k = 1; k <= 3; k++) {
            (,,, uint256 count,,) = c.getCommunity(k);
            assertEq(count, members[k], "member count");
            assertEq(count, h.ghostMembers(k), "ghost member count");
        }
    }

    /// An exchange reaches exactly one end, and escrow is exactly what open exchanges hold.
    function invariant_exactlyOneEnd() public view {
        assertFalse(h.illegalTransition(), "an invalid transition succeeded");
        uint256 n = c.exchangeCount();
        uint256[] memory open = new uint256[](ACTORS);
        for (uint256 id = 1; id <= n; id++) {
            (address payer,,, uint256 amount,, uint8 state) = c.getExchange(id);
            uint256 ends = h.ghostEnds(id);
            assertLe(ends, 1, "at most one end");
            assertTrue(state >= 1 && state <= 6, "a known state");
            if (state == 1 || state == 2) {
                assertEq(ends, 0, "open exchanges have not ended");
                open[uint160(payer) - 0xA000] += amount;
            } else {
                assertEq(ends, 1, "ended exchanges ended once");
                assertEq(uint256(state), uint256(h.ghostEndState(id)), "the end that was reached");
            }
        }
        for (uint256 i = 0; i < ACTORS; i++) {
            assertEq(c.escrowOf(h.actor(i)), open[i], "escrow == open exchanges' amounts");
        }
    }

    /// Only an active, admin-approved backer mints, and only within its weekly cap.
    function invariant_backersWithinCap() public view {
        assertFalse(h.rogueMint(), "an unauthorised or over-cap recharge succeeded");
        uint256 week = c.currentWeek();
        for (uint256 i = 0; i < h.backerCount(); i++) {
            address b = h.backer(i);
            (uint256 community, uint256 cap, uint256 used,) = c.backerOf(b);
            assertEq(community, i + 1, "backer's community");
            assertEq(used, h.ghostBackerMinted(b, week), "used this week");
            assertLe(used, cap, "within the cap");
        }
    }

    /// Reputation is the stars given by the other party of completed exchanges, once each.
    function invariant_ratings() public view {
        assertFalse(h.illegalRating(), "an invalid rating succeeded");
        uint256 stars;
        uint256 ratings;
        uint256 completed;
        for (uint256 i = 0; i < ACTORS; i++) {
            address a = h.actor(i);
            stars += c.reputationOf(a);
            ratings += c.ratingCountOf(a);
            completed += c.exchangeCountOf(a);
        }
        assertEq(stars, h.ghostStars(), "stars");
        assertEq(ratings, h.ghostRatings(), "ratings");
        assertLe(ratings, 2 * h.ghostCompleted(), "two ratings per exchange at most");
        assertEq(completed, 2 * h.ghostCompleted(), "each completion counts for both parties");
        uint256 communityCompleted;
        for (uint256 k = 1; k <= 3; k++) {
            (,,,,, uint256 e) = c.getCommunity(k);
            communityCompleted += e;
        }
        assertEq(communityCompleted, h.ghostCompleted(), "community exchange counts");
    }

    /// After each run, whatever is still open can be expired, and then no escrow is left.
    function afterInvariant() public {
        uint256 n = c.exchangeCount();
        vm.warp(block.timestamp + 4 days);
        for (uint256 id = 1; id <= n; id++) {
            (,,,,, uint8 state) = c.getExchange(id);
            if (state == 1 || state == 2) c.expireExchange(id);
        }
        for (uint256 i = 0; i < ACTORS; i++) {
            assertEq(c.escrowOf(h.actor(i)), 0, "no funds stuck in escrow");
        }
        invariant_conservationPerCommunity();
    }
}
