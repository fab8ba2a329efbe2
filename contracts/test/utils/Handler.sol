// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {BafokaCommunity} from "../../src/BafokaCommunity.sol";
import {BfkTest} from "./BfkTest.sol";

/// @dev Drives the contract for the invariant runner, as the operator, the admin and the
///      backers, and keeps ghost accounts of what should be true. Valid operations are sent
///      as they are (the runner fails on any unexpected revert); invalid ones are tried too,
///      and any that succeeds is recorded as a breach.
contract Handler is BfkTest {
    BafokaCommunity public immutable c;

    uint256 public constant COMMUNITIES = 3;
    uint256 public constant CAP = 50_000;

    address[] internal _actors;
    address[] internal _backers; // _backers[k - 1] backs community k

    // ghosts
    uint256[COMMUNITIES + 1] public ghostMinted; // grants + recharges per community
    uint256[COMMUNITIES + 1] public ghostMembers;
    mapping(address => uint256) public ghostCommunity;
    mapping(address => uint256) public ghostGrants;
    mapping(uint256 => uint256) public ghostEnds; // ends reached per exchange
    mapping(uint256 => uint8) public ghostEndState;
    mapping(address => mapping(uint256 => uint256)) public ghostBackerMinted; // backer => week => units
    uint256 public ghostStars;
    uint256 public ghostRatings;
    uint256 public ghostCompleted;
    mapping(address => uint256) public ghostBalance; // what each member should have, by the rules
    mapping(address => uint256) public ghostEscrow;

    // breaches: each must stay false
    bool public rogueMint;
    bool public crossCommunityExchange;
    bool public secondGrant;
    bool public illegalTransition;
    bool public illegalRating;

    mapping(string => uint256) public calls;

    uint256 internal constant PROPOSED_ONLY = 1 << 1;
    uint256 internal constant ACCEPTED_ONLY = 1 << 2;
    uint256 internal constant COMPLETED_ONLY = 1 << 3;
    uint256 internal constant OPEN = (1 << 1) | (1 << 2);

    constructor(BafokaCommunity community, address[] memory actors, address[] memory backers) {
        c = community;
        _actors = actors;
        _backers = backers;
    }

    // ------------------------------------------------------------ views for the invariants

    function actorCount() external view returns (uint256) {
        return _actors.length;
    }

    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    function backerCount() external view returns (uint256) {
        return _backers.length;
    }

    function backer(uint256 i) external view returns (address) {
        return _backers[i];
    }

    /// @dev Called once from setUp: approves each backer for its community, and registers
    ///      the first two actors of each community so that runs start with exchanges to make.
    function bootstrap() external {
        for (uint256 k = 1; k <= _backers.length; k++) {
            c.approveBacker(_backers[k - 1], k, CAP);
        }
        for (uint256 i = 0; i < 2 * COMMUNITIES; i++) {
            _register(_actors[i], 1 + i % COMMUNITIES);
        }
    }

    // ------------------------------------------------------------ members

    function register(uint256 actorSeed, uint256 communitySeed) external {
        address member = _actors[actorSeed % _actors.length];
        uint256 community = 1 + communitySeed % COMMUNITIES;
        if (c.communityOf(member) != 0) {
            try c.registerMember(member, community) {
                secondGrant = true;
            } catch {}
            calls["register(again)"]++;
            return;
        }
        _register(member, community);
        calls["register"]++;
    }

    function _register(address member, uint256 community) internal {
        c.registerMember(member, community);
        ghostCommunity[member] = community;
        ghostGrants[member] += 1;
        ghostMembers[community] += 1;
        ghostMinted[community] += c.INITIAL_GRANT();
        ghostBalance[member] += c.INITIAL_GRANT();
    }

    // ------------------------------------------------------------ exchanges

    function propose(uint256 payerSeed, uint256 providerSeed, uint256 amount, uint256 duration) external {
        address payer = _actors[payerSeed % _actors.length];
        if (c.communityOf(payer) == 0 && payerSeed % 8 != 0) payer = _anyMember(payerSeed >> 8);
        uint256 pc = c.communityOf(payer);
        // Mostly a provider of the payer's community; one time in eight, anyone.
        address provider = providerSeed % 8 == 0
            ? _actors[(providerSeed >> 8) % _actors.length]
            : _memberOf(pc, providerSeed >> 8, payer);
        uint256 vc = c.communityOf(provider);
        uint64 deadline = uint64(block.timestamp + bound(duration, 1 hours, 3 days));
        if (pc == 0 || vc == 0 || payer == provider) {
            calls["propose(skip)"]++;
            return;
        }
        uint256 balance = c.balanceOf(payer);
        if (pc != vc) {
            try c.proposeExchange(payer, provider, bound(amount, 1, balance + 1), deadline) {
                crossCommunityExchange = true;
            } catch {}
            calls["propose(cross)"]++;
            return;
        }
        if (balance == 0) {
            try c.proposeExchange(payer, provider, 1, deadline) {
                illegalTransition = true;
            } catch {}
            calls["propose(broke)"]++;
            return;
        }
        amount = bound(amount, 1, balance);
        c.proposeExchange(payer, provider, amount, deadline);
        ghostBalance[payer] -= amount;
        ghostEscrow[payer] += amount;
        calls["propose"]++;
    }

    function accept(uint256 idSeed) external {
        (uint256 id, uint8 state, uint64 deadline) = _pick(idSeed, PROPOSED_ONLY);
        if (id == 0) return;
        if (state == 1 && block.timestamp <= deadline) {
            c.acceptExchange(id);
            calls["accept"]++;
        } else {
            try c.acceptExchange(id) {
                illegalTransition = true;
            } catch {}
            calls["accept(invalid)"]++;
        }
    }

    function decline(uint256 idSeed) external {
        (uint256 id, uint8 state,) = _pick(idSeed, PROPOSED_ONLY);
        if (id == 0) return;
        if (state == 1) {
            c.declineExchange(id);
            _ended(id, 4);
            calls["decline"]++;
        } else {
            try c.declineExchange(id) {
                illegalTransition = true;
            } catch {}
            calls["decline(invalid)"]++;
        }
    }

    function cancel(uint256 idSeed) external {
        (uint256 id, uint8 state,) = _pick(idSeed, PROPOSED_ONLY);
        if (id == 0) return;
        if (state == 1) {
            c.cancelExchange(id);
            _ended(id, 5);
            calls["cancel"]++;
        } else {
            try c.cancelExchange(id) {
                illegalTransition = true;
            } catch {}
            calls["cancel(invalid)"]++;
        }
    }

    function complete(uint256 idSeed) external {
        (uint256 id, uint8 state,) = _pick(idSeed, ACCEPTED_ONLY);
        if (id == 0) return;
        if (state == 2) {
            c.completeExchange(id);
            _ended(id, 3);
            ghostCompleted++;
            calls["complete"]++;
        } else {
            try c.completeExchange(id) {
                illegalTransition = true;
            } catch {}
            calls["complete(invalid)"]++;
        }
    }

    function expire(uint256 idSeed) external {
        (uint256 id, uint8 state, uint64 deadline) = _pick(idSeed, OPEN);
        if (id == 0) return;
        if ((state == 1 || state == 2) && block.timestamp > deadline) {
            c.expireExchange(id);
            _ended(id, 6);
            calls["expire"]++;
        } else {
            try c.expireExchange(id) {
                illegalTransition = true;
            } catch {}
            calls["expire(invalid)"]++;
        }
    }

    function rate(uint256 idSeed, bool byPayer, uint8 stars) external {
        (uint256 id, uint8 state,) = _pick(idSeed, COMPLETED_ONLY);
        if (id == 0) return;
        (address payer, address provider,,,,) = c.getExchange(id);
        (bool payerRated, bool providerRated) = c.exchangeRatings(id);
        address rater = byPayer ? payer : provider;
        bool rated = byPayer ? payerRated : providerRated;
        stars = uint8(bound(stars, 0, 6));
        if (state == 3 && !rated && stars >= 1 && stars <= 5) {
            c.rateExchange(id, rater, stars);
            ghostStars += stars;
            ghostRatings += 1;
            calls["rate"]++;
        } else {
            try c.rateExchange(id, rater, stars) {
                illegalRating = true;
            } catch {}
            calls["rate(invalid)"]++;
        }
    }

    // ------------------------------------------------------------ backers

    function recharge(uint256 backerSeed, uint256 memberSeed, uint256 amount) external {
        uint256 k = 1 + backerSeed % _backers.length;
        address b = _backers[k - 1];
        address member = _memberOf(k, memberSeed, address(0));
        if (member == address(0)) return;
        uint256 remaining = c.rechargeableThisWeek(b);
        if (remaining == 0) {
            vm.prank(b);
            try c.recharge(member, bound(amount, 1, CAP)) {
                rogueMint = true;
            } catch {}
            calls["recharge(over cap or revoked)"]++;
            return;
        }
        amount = bound(amount, 1, remaining);
        vm.prank(b);
        c.recharge(member, amount);
        ghostMinted[k] += amount;
        ghostBalance[member] += amount;
        ghostBackerMinted[b][c.currentWeek()] += amount;
        calls["recharge"]++;
    }

    /// @dev Minting that must fail: a non-backer, a backer outside its community, over its cap.
    function rogueRecharge(uint256 callerSeed, uint256 memberSeed, uint256 amount, uint8 kind) external {
        address member = _actors[memberSeed % _actors.length];
        uint256 community = c.communityOf(member);
        if (community == 0) return;
        kind = kind % 3;
        address caller;
        if (kind == 0) {
            caller = _actors[callerSeed % _actors.length]; // members are never backers here
            amount = bound(amount, 1, CAP);
        } else if (kind == 1) {
            caller = _backers[(community + callerSeed % (_backers.length - 1)) % _backers.length];
            amount = bound(amount, 1, CAP);
        } else {
            caller = _backers[community - 1];
            amount = c.rechargeableThisWeek(caller) + 1 + bound(amount, 0, CAP);
        }
        vm.prank(caller);
        try c.recharge(member, amount) {
            rogueMint = true;
        } catch {}
        calls["rogueRecharge"]++;
    }

    function toggleBacker(uint256 backerSeed) external {
        address b = _backers[backerSeed % _backers.length];
        (,,, bool active) = c.backerOf(b);
        if (active) {
            c.revokeBacker(b);
            calls["revokeBacker"]++;
        } else {
            c.approveBacker(b, 1 + backerSeed % _backers.length, CAP);
            calls["approveBacker"]++;
        }
    }

    // ------------------------------------------------------------ time

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 2 days));
        calls["warp"]++;
    }

    // ------------------------------------------------------------ internal

    /// @dev An exchange id: most of the time one whose state is in `wanted` (a bit mask of
    ///      states) when there is one; one time in four, any id, so invalid calls are tried.
    function _pick(uint256 idSeed, uint256 wanted) internal view returns (uint256 id, uint8 state, uint64 deadline) {
        uint256 count = c.exchangeCount();
        if (count == 0) return (0, 0, 0);
        uint256 start = idSeed % count;
        id = 1 + start;
        if ((idSeed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < count; i++) {
                uint256 candidate = 1 + (start + i) % count;
                (,,,,, uint8 s) = c.getExchange(candidate);
                if ((wanted >> s) & 1 == 1) {
                    id = candidate;
                    break;
                }
            }
        }
        (,,,, deadline, state) = c.getExchange(id);
    }

    function _anyMember(uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        for (uint256 i = 0; i < n; i++) {
            address a = _actors[(seed % n + i) % n];
            if (c.communityOf(a) != 0) return a;
        }
        return _actors[seed % n];
    }

    /// @dev Books an end: completion pays the provider, every other end refunds the payer.
    function _ended(uint256 id, uint8 endState) internal {
        ghostEnds[id] += 1;
        ghostEndState[id] = endState;
        (address payer, address provider,, uint256 amount,,) = c.getExchange(id);
        ghostEscrow[payer] -= amount;
        ghostBalance[endState == 3 ? provider : payer] += amount;
    }

    /// @dev A member of `community` other than `except`, searched from a random actor on.
    function _memberOf(uint256 community, uint256 seed, address except) internal view returns (address) {
        uint256 n = _actors.length;
        for (uint256 i = 0; i < n; i++) {
            address a = _actors[(seed % n + i) % n];
            if (a != except && community != 0 && c.communityOf(a) == community) return a;
        }
        return address(0);
    }
}
