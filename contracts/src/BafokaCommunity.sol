// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title BafokaCommunity
/// @notice Community currencies of Troc-Service Bafoka: each village community has its own
///         currency, in whole units (0 decimals). Members never hold keys that matter here:
///         the backend's operator acts for them. Exchanges of services are paid through an
///         escrow that ends in exactly one of completed, declined, cancelled or expired.
/// @dev Exchange states, as returned by `getExchange` and carried by `WrongState`:
///        0 None       no such exchange
///        1 Proposed   escrowed from the payer, waiting for the provider
///        2 Accepted   the provider accepted; waiting for the payer to confirm delivery
///        3 Completed  the escrow was paid to the provider (end)
///        4 Declined   the provider declined; the payer was refunded (end)
///        5 Cancelled  the payer withdrew before acceptance; refunded (end)
///        6 Expired    the deadline passed while Proposed or Accepted; refunded (end)
///      Per community, the sum of members' balance + escrow always equals `supply`, the
///      grants plus the recharges ever minted into that community.
contract BafokaCommunity is AccessControl, Pausable {
    // ---------------------------------------------------------------- constants

    /// @notice Role of the backend key that sends member operations.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Units granted to a member when registered (once).
    uint256 public constant INITIAL_GRANT = 1000;
    uint96 internal constant GRANT = 1000; // INITIAL_GRANT as stored

    uint8 internal constant STATE_NONE = 0;
    uint8 internal constant STATE_PROPOSED = 1;
    uint8 internal constant STATE_ACCEPTED = 2;
    uint8 internal constant STATE_COMPLETED = 3;
    uint8 internal constant STATE_DECLINED = 4;
    uint8 internal constant STATE_CANCELLED = 5;
    uint8 internal constant STATE_EXPIRED = 6;

    // ------------------------------------------------------------------ storage
    // Layouts are packed so that each hot operation touches as few slots as possible.

    struct Member {
        uint32 communityId; // 0 = not a member
        uint96 balance;
        uint96 escrow;
        uint32 exchanges; // completed exchanges, as payer or provider
    }

    struct Stats {
        uint128 reputation; // sum of stars received
        uint128 ratings; // number of ratings received
    }

    struct Community {
        uint64 members;
        uint96 supply;
        uint64 exchanges; // completed exchanges
        string name;
        string currencyName;
        string currencySymbol;
    }

    struct Exchange {
        // slot 1
        address payer;
        uint64 deadline;
        uint8 state;
        bool payerRated;
        bool providerRated;
        // slot 2
        address provider;
        uint96 amount;
    }

    struct Backer {
        uint32 communityId;
        uint96 weeklyCap;
        uint96 usedThisWeek; // meaningful only while `week` is the current week
        uint24 week; // block.timestamp / 1 weeks of the last recharge
        bool active;
    }

    // These two share the slot of Pausable's `_paused`, which every operation reads anyway.
    uint32 private _communityCount;
    uint64 private _exchangeCount;

    mapping(uint256 communityId => Community) private _communities;
    mapping(address account => Member) private _members;
    mapping(address account => Stats) private _stats;
    mapping(uint256 exchangeId => Exchange) private _exchanges;
    mapping(address backer => Backer) private _backers;

    // ------------------------------------------------------------------- events

    event CommunityAdded(uint256 indexed communityId, string name, string currencyName, string currencySymbol);
    event MemberRegistered(address indexed member, uint256 indexed communityId, uint256 grant);
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
    event BackerApproved(address indexed backer, uint256 indexed communityId, uint256 weeklyCap);
    event BackerRevoked(address indexed backer);
    event Recharged(address indexed backer, address indexed member, uint256 indexed communityId, uint256 amount);

    // ------------------------------------------------------------------- errors

    /// @notice `account` is address(0).
    error ZeroAddress();
    /// @notice A community's name, currency name or currency symbol is empty.
    error EmptyCommunityField();
    /// @notice No community has this id.
    error UnknownCommunity(uint256 communityId);
    /// @notice `account` is not a registered member.
    error NotMember(address account);
    /// @notice `account` is already a member (of some community); it is granted once only.
    error AlreadyMember(address account);
    /// @notice The payer and the provider are the same account.
    error SelfExchange(address account);
    /// @notice The payer and the provider belong to different communities.
    error CrossCommunity(uint256 payerCommunity, uint256 providerCommunity);
    /// @notice An amount or a cap is zero.
    error InvalidAmount();
    /// @notice An amount, a cap or a community supply would exceed what is stored (2^96 - 1).
    error AmountTooLarge(uint256 requested, uint256 limit);
    /// @notice The spendable balance is lower than the amount.
    error InsufficientBalance(uint256 available, uint256 required);
    /// @notice A proposal's deadline is not after the current block time.
    error DeadlineInPast(uint64 deadline, uint256 currentTime);
    /// @notice The exchange's deadline has passed: it can no longer be accepted, only expired.
    error DeadlinePassed(uint256 exchangeId, uint64 deadline);
    /// @notice The exchange's deadline has not passed yet: it cannot be expired.
    error DeadlineNotReached(uint256 exchangeId, uint64 deadline);
    /// @notice No exchange has this id.
    error UnknownExchange(uint256 exchangeId);
    /// @notice The exchange is in `state`, where this operation is not allowed.
    error WrongState(uint256 exchangeId, uint8 state);
    /// @notice `account` is neither the payer nor the provider of the exchange.
    error NotParty(uint256 exchangeId, address account);
    /// @notice `rater` has already rated this exchange.
    error AlreadyRated(uint256 exchangeId, address rater);
    /// @notice Stars must be 1 to 5.
    error InvalidStars(uint8 stars);
    /// @notice `account` is not an active, admin-approved backer.
    error NotActiveBacker(address account);
    /// @notice The backer is approved for `backerCommunity`, the member belongs to `memberCommunity`.
    error WrongCommunity(uint256 backerCommunity, uint256 memberCommunity);
    /// @notice The recharge is larger than what the backer may still mint this week.
    error WeeklyCapExceeded(uint256 remaining, uint256 requested);

    // -------------------------------------------------------------- constructor

    constructor() {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(OPERATOR_ROLE, msg.sender);
        _addCommunity("Fondjomenkwet", "Fonjoka", "FJK");
        _addCommunity("Banja", "Banjika", "BJK");
        _addCommunity("Bafouka", "Bafouka", "BFK");
    }

    // -------------------------------------------------------------- communities

    /// @notice Adds a community with its own currency; returns its id (ids start at 1).
    function addCommunity(string calldata name, string calldata currencyName, string calldata currencySymbol)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint256)
    {
        return _addCommunity(name, currencyName, currencySymbol);
    }

    function communityCount() external view returns (uint256) {
        return _communityCount;
    }

    /// @notice Reverts with UnknownCommunity for an id that does not exist.
    function getCommunity(uint256 id)
        external
        view
        returns (
            string memory name,
            string memory currencyName,
            string memory currencySymbol,
            uint256 members,
            uint256 supply,
            uint256 exchanges
        )
    {
        _requireCommunity(id);
        Community storage c = _communities[id];
        return (c.name, c.currencyName, c.currencySymbol, c.members, c.supply, c.exchanges);
    }

    // ------------------------------------------------------------------ members

    /// @notice Registers `member` in `communityId` for good, and grants it INITIAL_GRANT.
    function registerMember(address member, uint256 communityId) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        if (member == address(0)) revert ZeroAddress();
        _requireCommunity(communityId);
        Member storage m = _members[member];
        if (m.communityId != 0) revert AlreadyMember(member);

        Community storage c = _communities[communityId];
        _mintInto(c, INITIAL_GRANT);
        c.members += 1;
        // communityId <= _communityCount, a uint32.
        // forge-lint: disable-next-line(unsafe-typecast)
        m.communityId = uint32(communityId);
        m.balance = GRANT;

        emit MemberRegistered(member, communityId, INITIAL_GRANT);
    }

    function communityOf(address account) external view returns (uint256) {
        return _members[account].communityId;
    }

    /// @notice Spendable units.
    function balanceOf(address account) external view returns (uint256) {
        return _members[account].balance;
    }

    /// @notice Units held in the account's open (proposed or accepted) exchanges as payer.
    function escrowOf(address account) external view returns (uint256) {
        return _members[account].escrow;
    }

    /// @notice Sum of the stars the account received.
    function reputationOf(address account) external view returns (uint256) {
        return _stats[account].reputation;
    }

    /// @notice Number of ratings the account received.
    function ratingCountOf(address account) external view returns (uint256) {
        return _stats[account].ratings;
    }

    /// @notice Completed exchanges of the account, as payer or provider.
    function exchangeCountOf(address account) external view returns (uint256) {
        return _members[account].exchanges;
    }

    /// @notice Everything about a member in one call (all zero for a non-member).
    function getMember(address account)
        external
        view
        returns (
            uint256 communityId,
            uint256 balance,
            uint256 escrow,
            uint256 reputation,
            uint256 ratings,
            uint256 exchanges
        )
    {
        Member storage m = _members[account];
        Stats storage s = _stats[account];
        return (m.communityId, m.balance, m.escrow, s.reputation, s.ratings, m.exchanges);
    }

    // ---------------------------------------------------------------- exchanges

    /// @notice Escrows `amount` from the payer's balance for a service by `provider`; returns
    ///         the exchange id (ids start at 1). Both must be members of the same community.
    function proposeExchange(address payer, address provider, uint256 amount, uint64 deadline)
        external
        onlyRole(OPERATOR_ROLE)
        whenNotPaused
        returns (uint256 id)
    {
        if (payer == provider) revert SelfExchange(payer);
        Member storage p = _members[payer];
        uint256 payerCommunity = p.communityId;
        if (payerCommunity == 0) revert NotMember(payer);
        uint256 providerCommunity = _members[provider].communityId;
        if (providerCommunity == 0) revert NotMember(provider);
        if (payerCommunity != providerCommunity) revert CrossCommunity(payerCommunity, providerCommunity);
        if (amount == 0) revert InvalidAmount();
        uint256 available = p.balance;
        if (amount > available) revert InsufficientBalance(available, amount);
        // Deadlines are hours away; a validator's few seconds of leeway do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        if (deadline <= block.timestamp) revert DeadlineInPast(deadline, block.timestamp);

        // amount <= balance, a uint96, and balance + escrow <= supply, a uint96.
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast)
            p.balance = uint96(available - amount);
            // forge-lint: disable-next-line(unsafe-typecast)
            p.escrow += uint96(amount);
        }
        id = ++_exchangeCount;
        _exchanges[id] = Exchange({
            payer: payer,
            deadline: deadline,
            state: STATE_PROPOSED,
            payerRated: false,
            providerRated: false,
            provider: provider,
            // forge-lint: disable-next-line(unsafe-typecast)
            amount: uint96(amount)
        });

        emit ExchangeProposed(id, payer, provider, payerCommunity, amount, deadline);
    }

    /// @notice The provider takes the job. Not possible after the deadline.
    function acceptExchange(uint256 id) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Exchange storage e = _exchangeIn(id, STATE_PROPOSED);
        uint64 deadline = e.deadline;
        // Deadlines are hours away; a validator's few seconds of leeway do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > deadline) revert DeadlinePassed(id, deadline);
        e.state = STATE_ACCEPTED;
        emit ExchangeAccepted(id);
    }

    /// @notice The provider turns the proposal down; the payer is refunded.
    function declineExchange(uint256 id) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Exchange storage e = _exchangeIn(id, STATE_PROPOSED);
        _end(e, STATE_DECLINED);
        emit ExchangeDeclined(id);
    }

    /// @notice The payer withdraws a proposal that was not accepted yet; refunded.
    function cancelExchange(uint256 id) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Exchange storage e = _exchangeIn(id, STATE_PROPOSED);
        _end(e, STATE_CANCELLED);
        emit ExchangeCancelled(id);
    }

    /// @notice The payer confirms delivery: the escrow goes to the provider. Allowed after the
    ///         deadline as long as nobody expired the exchange first.
    function completeExchange(uint256 id) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Exchange storage e = _exchangeIn(id, STATE_ACCEPTED);
        e.state = STATE_COMPLETED;
        uint96 amount = e.amount;
        Member storage payer = _members[e.payer];
        Member storage provider = _members[e.provider];
        // The escrow holds at least `amount`, and the provider's balance + amount stays
        // within the community supply, a uint96.
        unchecked {
            payer.escrow -= amount;
            provider.balance += amount;
        }
        payer.exchanges += 1;
        provider.exchanges += 1;
        _communities[payer.communityId].exchanges += 1;
        emit ExchangeCompleted(id, amount);
    }

    /// @notice Anyone may end a proposed or accepted exchange once its deadline has passed;
    ///         the payer is refunded, so no funds stay in escrow forever.
    function expireExchange(uint256 id) external whenNotPaused {
        Exchange storage e = _exchanges[id];
        uint8 state = e.state;
        if (state == STATE_NONE) revert UnknownExchange(id);
        if (state != STATE_PROPOSED && state != STATE_ACCEPTED) revert WrongState(id, state);
        uint64 deadline = e.deadline;
        // Deadlines are hours away; a validator's few seconds of leeway do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp <= deadline) revert DeadlineNotReached(id, deadline);
        _end(e, STATE_EXPIRED);
        emit ExchangeExpired(id);
    }

    /// @notice `rater`, the payer or the provider of a completed exchange, rates the other
    ///         party with 1 to 5 stars, once.
    function rateExchange(uint256 id, address rater, uint8 stars) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Exchange storage e = _exchangeIn(id, STATE_COMPLETED);
        if (stars < 1 || stars > 5) revert InvalidStars(stars);
        address ratee;
        if (rater == e.payer) {
            if (e.payerRated) revert AlreadyRated(id, rater);
            e.payerRated = true;
            ratee = e.provider;
        } else if (rater == e.provider) {
            if (e.providerRated) revert AlreadyRated(id, rater);
            e.providerRated = true;
            ratee = e.payer;
        } else {
            revert NotParty(id, rater);
        }
        Stats storage s = _stats[ratee];
        s.reputation += stars;
        s.ratings += 1;
        emit ExchangeRated(id, rater, ratee, stars);
    }

    /// @notice Number of exchanges ever proposed; ids run from 1 to this.
    function exchangeCount() external view returns (uint256) {
        return _exchangeCount;
    }

    /// @notice An unknown id gives all zeros and state 0 (None).
    function getExchange(uint256 id)
        external
        view
        returns (address payer, address provider, uint256 communityId, uint256 amount, uint64 deadline, uint8 state)
    {
        Exchange storage e = _exchanges[id];
        // A member's community never changes, so it is not stored twice.
        return (e.payer, e.provider, _members[e.payer].communityId, e.amount, e.deadline, e.state);
    }

    /// @notice Whether each party of the exchange has rated the other.
    function exchangeRatings(uint256 id) external view returns (bool payerRated, bool providerRated) {
        Exchange storage e = _exchanges[id];
        return (e.payerRated, e.providerRated);
    }

    // ------------------------------------------------------------------ backers

    /// @notice Lets `backer` mint into `communityId`, up to `weeklyCap` units per week
    ///         (weeks are block.timestamp / 1 weeks). Approving again changes the community
    ///         or the cap; the units already used this week still count in the same community.
    function approveBacker(address backer, uint256 communityId, uint256 weeklyCap)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (backer == address(0)) revert ZeroAddress();
        _requireCommunity(communityId);
        if (weeklyCap == 0) revert InvalidAmount();
        if (weeklyCap > type(uint96).max) revert AmountTooLarge(weeklyCap, type(uint96).max);

        Backer storage b = _backers[backer];
        uint24 week = _currentWeek();
        if (b.communityId != communityId || b.week != week) {
            b.usedThisWeek = 0;
            b.week = week;
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        b.communityId = uint32(communityId);
        // forge-lint: disable-next-line(unsafe-typecast)
        b.weeklyCap = uint96(weeklyCap);
        b.active = true;
        emit BackerApproved(backer, communityId, weeklyCap);
    }

    function revokeBacker(address backer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Backer storage b = _backers[backer];
        if (!b.active) revert NotActiveBacker(backer);
        b.active = false;
        emit BackerRevoked(backer);
    }

    /// @notice The caller, an active backer of the member's community, mints `amount` units
    ///         to `member`, within its weekly cap.
    function recharge(address member, uint256 amount) external whenNotPaused {
        Backer storage b = _backers[msg.sender];
        if (!b.active) revert NotActiveBacker(msg.sender);
        if (amount == 0) revert InvalidAmount();
        Member storage m = _members[member];
        uint256 communityId = m.communityId;
        if (communityId == 0) revert NotMember(member);
        uint256 backerCommunity = b.communityId;
        if (backerCommunity != communityId) revert WrongCommunity(backerCommunity, communityId);

        uint24 week = _currentWeek();
        uint256 used = b.week == week ? b.usedThisWeek : 0;
        uint256 cap = b.weeklyCap;
        uint256 remaining = cap > used ? cap - used : 0;
        if (amount > remaining) revert WeeklyCapExceeded(remaining, amount);

        _mintInto(_communities[communityId], amount);
        // used + amount <= cap and balance <= supply, all within uint96 (checked in _mintInto).
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast)
            b.usedThisWeek = uint96(used + amount);
            b.week = week;
            // forge-lint: disable-next-line(unsafe-typecast)
            m.balance += uint96(amount);
        }
        emit Recharged(msg.sender, member, communityId, amount);
    }

    /// @notice A backer's approval and this week's use (`usedThisWeek` is 0 in a new week).
    function backerOf(address backer)
        external
        view
        returns (uint256 communityId, uint256 weeklyCap, uint256 usedThisWeek, bool active)
    {
        Backer storage b = _backers[backer];
        uint256 used = b.week == _currentWeek() ? b.usedThisWeek : 0;
        return (b.communityId, b.weeklyCap, used, b.active);
    }

    /// @notice Units `backer` may still mint this week (0 unless active).
    function rechargeableThisWeek(address backer) external view returns (uint256) {
        Backer storage b = _backers[backer];
        if (!b.active) return 0;
        uint256 used = b.week == _currentWeek() ? b.usedThisWeek : 0;
        uint256 cap = b.weeklyCap;
        return cap > used ? cap - used : 0;
    }

    /// @notice The week number recharges are counted in: block.timestamp / 1 weeks.
    function currentWeek() external view returns (uint256) {
        return _currentWeek();
    }

    // ------------------------------------------------------------------- pausing

    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ internal

    function _addCommunity(string memory name, string memory currencyName, string memory currencySymbol)
        internal
        returns (uint256 id)
    {
        if (bytes(name).length == 0 || bytes(currencyName).length == 0 || bytes(currencySymbol).length == 0) {
            revert EmptyCommunityField();
        }
        id = ++_communityCount;
        Community storage c = _communities[id];
        c.name = name;
        c.currencyName = currencyName;
        c.currencySymbol = currencySymbol;
        emit CommunityAdded(id, name, currencyName, currencySymbol);
    }

    function _requireCommunity(uint256 id) internal view {
        if (id == 0 || id > _communityCount) revert UnknownCommunity(id);
    }

    /// @dev Adds to the community supply, which bounds every balance and escrow in it.
    function _mintInto(Community storage c, uint256 amount) internal {
        uint256 supply = uint256(c.supply) + amount;
        if (supply > type(uint96).max) revert AmountTooLarge(amount, type(uint96).max - c.supply);
        // forge-lint: disable-next-line(unsafe-typecast)
        c.supply = uint96(supply);
    }

    function _exchangeIn(uint256 id, uint8 expected) internal view returns (Exchange storage e) {
        e = _exchanges[id];
        uint8 state = e.state;
        if (state != expected) {
            if (state == STATE_NONE) revert UnknownExchange(id);
            revert WrongState(id, state);
        }
    }

    /// @dev Ends an open exchange with a refund of its escrow to the payer.
    function _end(Exchange storage e, uint8 endState) internal {
        e.state = endState;
        uint96 amount = e.amount;
        Member storage payer = _members[e.payer];
        // The escrow holds at least `amount`; balance + escrow <= supply, a uint96.
        unchecked {
            payer.escrow -= amount;
            payer.balance += amount;
        }
    }

    function _currentWeek() internal view returns (uint24) {
        // Week numbers fit in 24 bits until the year 320,000 or so.
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint24(block.timestamp / 1 weeks);
    }
}
