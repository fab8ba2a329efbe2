/* bfk-bot-texts.c: the bot's texts, French and English side by side, and the
 * renderer of their {placeholders}.
 *
 * Written for members who read French as a second language on a small
 * screen: short sentences, the command to type spelled out, no jargon (no
 * "escrow", no "transaction").  English members get English command words,
 * which the bot accepts as aliases.
 */
#include "bfk-bot-texts.h"

#include <stddef.h>
#include <string.h>

static const gchar *const templates[BFK_BOT_N_TEXTS][BFK_BOT_N_LANGS] = {
  /* --- joining --- */
  [BFK_BOT_TEXT_WELCOME] = {
    "Bienvenue sur Troc-Service Bafoka ! Échangez vos services avec la monnaie de votre village.\n"
    "Choisissez votre communauté, tapez son numéro :\n{detail}",
    "Welcome to Troc-Service Bafoka! Trade services with your village's currency.\n"
    "Choose your community: type its number.\n{detail}" },
  [BFK_BOT_TEXT_COMMUNITY_LINE] = {
    "{n}. {community} ({currency})",
    "{n}. {community} ({currency})" },
  [BFK_BOT_TEXT_NO_COMMUNITY] = {
    "Bienvenue sur Troc-Service Bafoka ! Aucune communauté n'est ouverte pour le moment. "
    "Réessayez plus tard.",
    "Welcome to Troc-Service Bafoka! No community is open yet. Please try again later." },
  [BFK_BOT_TEXT_COMMUNITY_BAD_CHOICE] = {
    "Tapez seulement le numéro de votre communauté, de 1 à {count} :\n{detail}",
    "Type only the number of your community, from 1 to {count}:\n{detail}" },
  [BFK_BOT_TEXT_ASK_NAME] = {
    "Communauté {community} ({currency}).\n"
    "Choisissez votre nom d'utilisateur : 3 à 20 lettres sans accent, chiffres ou _ "
    "(ex. : Marie_2).",
    "Community {community} ({currency}).\n"
    "Choose your user name: 3 to 20 letters without accents, digits or _ (e.g. Marie_2)." },
  [BFK_BOT_TEXT_NAME_INVALID] = {
    "« {words} » ne convient pas. Le nom : 3 à 20 lettres sans accent, chiffres ou _, "
    "sans espace (ex. : Marie_2).",
    "“{words}” cannot be used. A user name is 3 to 20 letters without accents, digits or _, "
    "with no space (e.g. Marie_2)." },
  [BFK_BOT_TEXT_NAME_TAKEN] = {
    "Le nom {name} est déjà pris dans {community}. Choisissez-en un autre.",
    "The name {name} is already taken in {community}. Please choose another one." },
  [BFK_BOT_TEXT_REGISTERING] = {
    "Merci {name} ! Inscription en cours dans {community}. "
    "Vous recevrez un message dès qu'elle est confirmée.",
    "Thank you {name}! Registration in progress in {community}. "
    "You will get a message as soon as it is confirmed." },
  [BFK_BOT_TEXT_GREET_MEMBER] = {
    "Bonjour {name} ! Bienvenue sur Troc-Service Bafoka, communauté {community}.",
    "Hello {name}! Welcome to Troc-Service Bafoka, community {community}." },
  [BFK_BOT_TEXT_REGISTRATION_PENDING] = {
    "Votre inscription est en cours. Vous recevrez un message dès qu'elle est confirmée, "
    "dans quelques minutes.",
    "Your registration is in progress. You will get a message as soon as it is confirmed, "
    "in a few minutes." },

  /* --- general --- */
  [BFK_BOT_TEXT_MENU] = {
    "Commandes :\n"
    "SOLDE : votre argent\n"
    "PROFIL : votre profil et vos offres\n"
    "COMMUNAUTE : votre communauté\n"
    "OFFRIR service prix : offrir un service\n"
    "RETIRER n : retirer une offre\n"
    "RECHERCHER mots : trouver un service\n"
    "PROPOSER nom service montant : payer un service\n"
    "ACCEPTER n / REFUSER n\n"
    "TERMINE n : service reçu, payer\n"
    "ANNULER n\n"
    "EVALUER n 1-5\n"
    "BACKERS : recharges\n"
    "AGENT : parler à une personne\n"
    "LANGUE EN : English",
    "Commands:\n"
    "BALANCE: your money\n"
    "PROFILE: your profile and offers\n"
    "COMMUNITY: your community\n"
    "OFFER service price: offer a service\n"
    "REMOVE n: remove an offer\n"
    "SEARCH words: find a service\n"
    "PROPOSE name service amount: pay for a service\n"
    "ACCEPT n / DECLINE n\n"
    "DONE n: service received, pay\n"
    "CANCEL n\n"
    "RATE n 1-5\n"
    "BACKERS: top-ups\n"
    "AGENT: talk to a person\n"
    "LANGUAGE FR: français" },
  [BFK_BOT_TEXT_NOT_UNDERSTOOD] = {
    "Je n'ai pas compris. Tapez AIDE pour voir les commandes.",
    "Sorry, I did not understand. Type HELP to see the commands." },
  [BFK_BOT_TEXT_LANG_SET] = {
    "Langue : français. Tapez AIDE pour voir les commandes.",
    "Language: English. Type HELP to see the commands." },
  [BFK_BOT_TEXT_LANG_USAGE] = {
    "Tapez LANGUE FR (français) ou LANGUE EN (anglais).",
    "Type LANGUAGE EN (English) or LANGUAGE FR (French)." },
  [BFK_BOT_TEXT_AGENT_FLAGGED] = {
    "C'est noté : une personne de l'équipe Bafoka va vous répondre ici bientôt.",
    "Noted: a person from the Bafoka team will answer you here soon." },

  /* --- information --- */
  [BFK_BOT_TEXT_BALANCE] = {
    "Solde : {balance} {currency} disponibles.\n"
    "Bloqués dans vos propositions : {escrow} {currency}.",
    "Balance: {balance} {currency} available.\n"
    "Held in your proposals: {escrow} {currency}." },
  [BFK_BOT_TEXT_PROFILE] = {
    "{name}, communauté {community}\n"
    "Réputation : {reputation}\n"
    "Échanges terminés : {count}\n"
    "Membre depuis le {date}",
    "{name}, community {community}\n"
    "Reputation: {reputation}\n"
    "Completed exchanges: {count}\n"
    "Member since {date}" },
  [BFK_BOT_TEXT_REPUTATION] = {
    "{rating}/5 ({count} avis)",
    "{rating}/5 ({count} ratings)" },
  [BFK_BOT_TEXT_REPUTATION_NONE] = {
    "pas encore d'avis",
    "no ratings yet" },
  [BFK_BOT_TEXT_COMMUNITY_INFO] = {
    "Communauté {community}\n"
    "Monnaie : {currency} ({symbol})\n"
    "Membres : {count}\n"
    "Échangés en tout : {volume} {currency}",
    "Community {community}\n"
    "Currency: {currency} ({symbol})\n"
    "Members: {count}\n"
    "Traded in all: {volume} {currency}" },
  [BFK_BOT_TEXT_BACKERS_LIST] = {
    "Backers de {community} :\n{detail}\n"
    "Pour une recharge, parlez à votre coordinateur ou tapez AGENT.",
    "Backers of {community}:\n{detail}\n"
    "For a top-up, talk to your coordinator or type AGENT." },
  [BFK_BOT_TEXT_BACKER_LINE] = {
    "{name} : encore {left} {currency} cette semaine (sur {cap})",
    "{name}: {left} {currency} left this week (of {cap})" },
  [BFK_BOT_TEXT_BACKERS_NONE] = {
    "Pas encore de backer dans {community}. Pour de l'aide, tapez AGENT.",
    "No backer in {community} yet. For help, type AGENT." },

  /* --- offers --- */
  [BFK_BOT_TEXT_OFFER_ADDED] = {
    "Offre ajoutée : « {service} » pour {amount} {currency}. Tapez PROFIL pour voir vos offres.",
    "Offer added: “{service}” for {amount} {currency}. Type PROFILE to see your offers." },
  [BFK_BOT_TEXT_OFFER_USAGE] = {
    "Pour offrir un service, tapez : OFFRIR service prix\nEx. : OFFRIR couture 500",
    "To offer a service, type: OFFER service price\nE.g. OFFER sewing 500" },
  [BFK_BOT_TEXT_OFFER_TOO_MANY] = {
    "Vous avez déjà {count} offres. Retirez-en une d'abord : RETIRER n (voir PROFIL).",
    "You already have {count} offers. Remove one first: REMOVE n (see PROFILE)." },
  [BFK_BOT_TEXT_TOO_LONG] = {
    "Le service est décrit trop longuement : {count} caractères au plus. Faites plus court.",
    "The service description is too long: {count} characters at most. Make it shorter." },
  [BFK_BOT_TEXT_OFFERS_MINE] = {
    "Vos offres :\n{detail}",
    "Your offers:\n{detail}" },
  [BFK_BOT_TEXT_OFFER_LINE] = {
    "n°{n} {service} : {amount} {currency}",
    "no. {n} {service}: {amount} {currency}" },
  [BFK_BOT_TEXT_NO_OFFERS] = {
    "Vous n'avez pas d'offre. Pour en ajouter une : OFFRIR service prix",
    "You have no offer. To add one: OFFER service price" },
  [BFK_BOT_TEXT_OFFER_NOT_YOURS] = {
    "Vous n'avez pas d'offre n°{n}.",
    "You have no offer no. {n}." },
  [BFK_BOT_TEXT_OFFER_REMOVED] = {
    "Offre n°{n} retirée.",
    "Offer no. {n} removed." },
  [BFK_BOT_TEXT_SEARCH_ASK] = {
    "Que cherchez-vous ? Écrivez un ou deux mots (ex. : couture).",
    "What are you looking for? Write one or two words (e.g. sewing)." },
  [BFK_BOT_TEXT_SEARCH_RESULTS] = {
    "Offres pour « {words} » :\n{detail}\n"
    "Pour payer un service : PROPOSER nom service montant",
    "Offers for “{words}”:\n{detail}\n"
    "To pay for a service: PROPOSE name service amount" },
  [BFK_BOT_TEXT_SEARCH_LINE] = {
    "n°{n} {service} : {amount} {currency}, par {name} ({reputation})",
    "no. {n} {service}: {amount} {currency}, by {name} ({reputation})" },
  [BFK_BOT_TEXT_SEARCH_NONE] = {
    "Aucune offre pour « {words} » dans {community}. Essayez d'autres mots.",
    "No offer for “{words}” in {community}. Try other words." },

  /* --- proposing --- */
  [BFK_BOT_TEXT_PROPOSE_USAGE] = {
    "Pour payer un service, tapez : PROPOSER nom service montant\n"
    "Ex. : PROPOSER Marie couture 150",
    "To pay for a service, type: PROPOSE name service amount\n"
    "E.g. PROPOSE Marie sewing 150" },
  [BFK_BOT_TEXT_PROPOSE_NO_SERVICE] = {
    "Quel service ? Mettez-le entre le nom et le montant. Ex. : {example}",
    "Which service? Put it between the name and the amount. E.g. {example}" },
  [BFK_BOT_TEXT_PROPOSE_CONFIRM] = {
    "Payer {amount} {currency} à {other} pour « {service} » ?\n"
    "L'argent reste bloqué jusqu'à ce que vous tapiez TERMINE.\n"
    "Répondez OUI ou NON.",
    "Pay {amount} {currency} to {other} for “{service}”?\n"
    "The money stays held until you type DONE.\n"
    "Answer YES or NO." },
  [BFK_BOT_TEXT_PROPOSE_SENT] = {
    "C'est parti : {amount} {currency} mis de côté pour {other} (« {service} »). "
    "Enregistrement en cours ; {other} recevra le numéro de l'échange et aura {hours} h "
    "pour accepter.",
    "Done: {amount} {currency} set aside for {other} (“{service}”). Being recorded; "
    "{other} will get the exchange number and have {hours} h to accept." },
  [BFK_BOT_TEXT_PROPOSE_DROPPED] = {
    "Proposition abandonnée. Rien n'a été payé.",
    "Proposal dropped. Nothing was paid." },
  [BFK_BOT_TEXT_CONFIRM_PENDING] = {
    "Proposition en attente : payer {amount} {currency} à {other} ? Répondez OUI ou NON.",
    "Proposal waiting: pay {amount} {currency} to {other}? Answer YES or NO." },
  [BFK_BOT_TEXT_CONFIRM_STALE] = {
    "Cette proposition est trop ancienne et n'a pas été envoyée. Recommencez : {example}",
    "This proposal is too old and was not sent. Start again: {example}" },
  [BFK_BOT_TEXT_NOTHING_TO_CONFIRM] = {
    "Rien à confirmer. Pour payer un service : PROPOSER nom service montant",
    "Nothing to confirm. To pay for a service: PROPOSE name service amount" },
  [BFK_BOT_TEXT_NAME_SELF] = {
    "Vous ne pouvez pas vous payer vous-même. Tapez le nom d'un autre membre.",
    "You cannot pay yourself. Type the name of another member." },
  [BFK_BOT_TEXT_NAME_NOBODY] = {
    "Personne ne s'appelle « {words} » dans {community}. Vérifiez le nom, "
    "ou tapez RECHERCHER pour trouver un service.",
    "Nobody is called “{words}” in {community}. Check the name, "
    "or type SEARCH to find a service." },
  [BFK_BOT_TEXT_NAME_ELSEWHERE] = {
    "{other} n'est pas dans votre communauté. On échange seulement entre membres de {community}.",
    "{other} is not in your community. You can only trade with members of {community}." },
  [BFK_BOT_TEXT_NAME_NOT_READY] = {
    "L'inscription de {other} n'est pas encore confirmée. Réessayez dans quelques minutes.",
    "{other}'s registration is not confirmed yet. Try again in a few minutes." },
  [BFK_BOT_TEXT_AMOUNT_OVER_BALANCE] = {
    "Vous avez {balance} {currency} : le montant doit aller de 1 à {balance}. Ex. : {example}",
    "You have {balance} {currency}: the amount must be from 1 to {balance}. E.g. {example}" },
  [BFK_BOT_TEXT_AMOUNT_NO_BALANCE] = {
    "Vous avez 0 {currency} pour le moment : vous ne pouvez rien payer. Tapez BACKERS "
    "pour une recharge.",
    "You have 0 {currency} for now: you cannot pay anything. Type BACKERS for a top-up." },

  /* --- numbers --- */
  [BFK_BOT_TEXT_NUM_MISSING] = {
    "Il manque {what}. Ex. : {example}",
    "Missing: {what}. E.g. {example}" },
  [BFK_BOT_TEXT_NUM_NEGATIVE] = {
    "« {words} » est négatif. Il faut un nombre entier positif pour {what}. Ex. : {example}",
    "“{words}” is negative. Use a positive whole number for {what}. E.g. {example}" },
  [BFK_BOT_TEXT_NUM_DECIMAL] = {
    "« {words} » n'est pas un nombre entier. Pas de virgule ni de point pour {what}. "
    "Ex. : {example}",
    "“{words}” is not a whole number. No comma or point in {what}. E.g. {example}" },
  [BFK_BOT_TEXT_NUM_NOT_A_NUMBER] = {
    "« {words} » n'est pas un nombre. Écrivez {what} en chiffres. Ex. : {example}",
    "“{words}” is not a number. Write {what} in digits. E.g. {example}" },
  [BFK_BOT_TEXT_NUM_TOO_BIG] = {
    "« {words} » est bien trop grand pour {what}. Ex. : {example}",
    "“{words}” is far too big for {what}. E.g. {example}" },
  [BFK_BOT_TEXT_NUM_ZERO] = {
    "0 ne convient pas pour {what} : il faut au moins 1. Ex. : {example}",
    "0 cannot be {what}: it must be at least 1. E.g. {example}" },
  [BFK_BOT_TEXT_STARS_RANGE] = {
    "La note va de 1 à 5 étoiles, pas « {words} ». Ex. : {example}",
    "The rating goes from 1 to 5 stars, not “{words}”. E.g. {example}" },
  [BFK_BOT_TEXT_WHAT_AMOUNT] = { "le montant", "the amount" },
  [BFK_BOT_TEXT_WHAT_PRICE] = { "le prix", "the price" },
  [BFK_BOT_TEXT_WHAT_EXCHANGE] = { "le numéro de l'échange", "the exchange number" },
  [BFK_BOT_TEXT_WHAT_OFFER] = { "le numéro de l'offre", "the offer number" },
  [BFK_BOT_TEXT_WHAT_STARS] = { "la note (1 à 5)", "the rating (1 to 5)" },

  /* --- examples --- */
  [BFK_BOT_TEXT_EXAMPLE_PROPOSE] = { "PROPOSER {other} {service} {amount}",
                                     "PROPOSE {other} {service} {amount}" },
  [BFK_BOT_TEXT_EXAMPLE_OFFER] = { "OFFRIR {service} 500", "OFFER {service} 500" },
  [BFK_BOT_TEXT_EXAMPLE_REMOVE] = { "RETIRER 3", "REMOVE 3" },
  [BFK_BOT_TEXT_EXAMPLE_ACCEPT] = { "ACCEPTER 12", "ACCEPT 12" },
  [BFK_BOT_TEXT_EXAMPLE_DECLINE] = { "REFUSER 12", "DECLINE 12" },
  [BFK_BOT_TEXT_EXAMPLE_DONE] = { "TERMINE 12", "DONE 12" },
  [BFK_BOT_TEXT_EXAMPLE_CANCEL] = { "ANNULER 12", "CANCEL 12" },
  [BFK_BOT_TEXT_EXAMPLE_RATE] = { "EVALUER {n} 5", "RATE {n} 5" },
  [BFK_BOT_TEXT_EXAMPLE_SERVICE] = { "couture", "sewing" },

  /* --- exchanges --- */
  [BFK_BOT_TEXT_EX_NOT_FOUND] = {
    "Il n'y a pas d'échange n°{n}. Vérifiez le numéro dans vos messages.",
    "There is no exchange no. {n}. Check the number in your messages." },
  [BFK_BOT_TEXT_EX_NOT_YOURS] = {
    "L'échange n°{n} ne vous concerne pas. Vérifiez le numéro dans vos messages.",
    "Exchange no. {n} is not yours. Check the number in your messages." },
  [BFK_BOT_TEXT_EX_PROVIDER_ONLY] = {
    "C'est à {other}, qui rend le service, d'accepter ou de refuser l'échange n°{n}.",
    "It is for {other}, who gives the service, to accept or decline exchange no. {n}." },
  [BFK_BOT_TEXT_EX_PAYER_ONLY_DONE] = {
    "C'est à {other}, qui paie, de taper TERMINE {n} quand le service est rendu.",
    "It is for {other}, who pays, to type DONE {n} once the service is given." },
  [BFK_BOT_TEXT_EX_PAYER_ONLY_CANCEL] = {
    "C'est à {other}, qui paie, d'annuler l'échange n°{n}. Pour le refuser : REFUSER {n}",
    "It is for {other}, who pays, to cancel exchange no. {n}. To decline it: DECLINE {n}" },
  [BFK_BOT_TEXT_EX_ALREADY] = {
    "L'échange n°{n} est déjà {state}.",
    "Exchange no. {n} is already {state}." },
  [BFK_BOT_TEXT_EX_EXPIRED] = {
    "L'échange n°{n} a expiré : le délai est passé. Le paiement sera rendu.",
    "Exchange no. {n} has expired: the time is over. The payment will be returned." },
  [BFK_BOT_TEXT_EX_NOT_ACCEPTED_YET] = {
    "{other} n'a pas encore accepté l'échange n°{n}. Pour l'annuler : ANNULER {n}",
    "{other} has not accepted exchange no. {n} yet. To cancel it: CANCEL {n}" },
  [BFK_BOT_TEXT_EX_TOO_LATE_TO_CANCEL] = {
    "{other} a déjà accepté l'échange n°{n} : on ne peut plus l'annuler. "
    "Service rendu : TERMINE {n}. Un problème : AGENT",
    "{other} already accepted exchange no. {n}: it cannot be cancelled now. "
    "Service given: DONE {n}. A problem: AGENT" },
  [BFK_BOT_TEXT_EX_NOT_COMPLETED] = {
    "L'échange n°{n} n'est pas terminé ({state}) : vous pourrez l'évaluer après TERMINE.",
    "Exchange no. {n} is not completed ({state}): you can rate it after DONE." },
  [BFK_BOT_TEXT_EX_ALREADY_RATED] = {
    "Vous avez déjà évalué l'échange n°{n}. Merci !",
    "You already rated exchange no. {n}. Thank you!" },
  [BFK_BOT_TEXT_ACCEPTING] = {
    "C'est noté : vous acceptez l'échange n°{n} ({amount} {currency} de {other}). "
    "Enregistrement en cours, nous prévenons {other}. Rendez le service, puis {other} "
    "tapera TERMINE {n} pour vous payer.",
    "Noted: you accept exchange no. {n} ({amount} {currency} from {other}). Being recorded; "
    "we are telling {other}. Give the service, then {other} will type DONE {n} to pay you." },
  [BFK_BOT_TEXT_DECLINING] = {
    "C'est noté : vous refusez l'échange n°{n}. Enregistrement en cours ; {other} récupère "
    "ses {amount} {currency}.",
    "Noted: you decline exchange no. {n}. Being recorded; {other} gets the {amount} "
    "{currency} back." },
  [BFK_BOT_TEXT_COMPLETING] = {
    "Merci ! Paiement de {amount} {currency} à {other} en cours (échange n°{n}). "
    "Vous pourrez ensuite l'évaluer : EVALUER {n} 5",
    "Thank you! Paying {amount} {currency} to {other} (exchange no. {n}). "
    "You can then rate it: RATE {n} 5" },
  [BFK_BOT_TEXT_CANCELLING] = {
    "C'est noté : échange n°{n} annulé. Vos {amount} {currency} vous reviennent dans un instant.",
    "Noted: exchange no. {n} cancelled. Your {amount} {currency} come back in a moment." },
  [BFK_BOT_TEXT_RATING] = {
    "Merci ! Vous donnez {stars}/5 à {other} pour l'échange n°{n}.",
    "Thank you! You give {stars}/5 to {other} for exchange no. {n}." },
  [BFK_BOT_TEXT_STATE_PROPOSED] = { "en attente", "waiting" },
  [BFK_BOT_TEXT_STATE_ACCEPTED] = { "accepté", "accepted" },
  [BFK_BOT_TEXT_STATE_COMPLETED] = { "terminé", "completed" },
  [BFK_BOT_TEXT_STATE_DECLINED] = { "refusé", "declined" },
  [BFK_BOT_TEXT_STATE_CANCELLED] = { "annulé", "cancelled" },
  [BFK_BOT_TEXT_STATE_EXPIRED] = { "expiré", "expired" },

  /* --- notifications --- */
  [BFK_BOT_TEXT_NOTE_REGISTERED] = {
    "Bienvenue {name} ! Votre inscription à {community} est confirmée : {amount} {currency} "
    "crédités. Tapez AIDE pour commencer.",
    "Welcome {name}! Your registration in {community} is confirmed: {amount} {currency} "
    "credited. Type HELP to start." },
  [BFK_BOT_TEXT_NOTE_REGISTRATION_FAILED] = {
    "Désolé, votre inscription n'a pas pu être enregistrée. L'équipe Bafoka regarde le "
    "problème ; tapez AGENT pour parler à une personne.",
    "Sorry, your registration could not be recorded. The Bafoka team is looking into it; "
    "type AGENT to talk to a person." },
  [BFK_BOT_TEXT_NOTE_PROPOSAL_ESCROWED] = {
    "Échange n°{n} enregistré : {amount} {currency} bloqués pour {other}. "
    "Quand le service est rendu, tapez TERMINE {n}. Pour annuler avant qu'il accepte : "
    "ANNULER {n}",
    "Exchange no. {n} recorded: {amount} {currency} held for {other}. "
    "Once the service is given, type DONE {n}. To cancel before it is accepted: CANCEL {n}" },
  [BFK_BOT_TEXT_NOTE_PROPOSAL_RECEIVED] = {
    "{other} vous propose {amount} {currency} pour « {service} » (échange n°{n}). "
    "Répondez ACCEPTER {n} ou REFUSER {n}, dans les {hours} h.",
    "{other} offers you {amount} {currency} for “{service}” (exchange no. {n}). "
    "Answer ACCEPT {n} or DECLINE {n}, within {hours} h." },
  [BFK_BOT_TEXT_NOTE_ACCEPTED] = {
    "{other} a accepté l'échange n°{n}. Quand le service est rendu, tapez TERMINE {n} "
    "pour payer.",
    "{other} accepted exchange no. {n}. Once the service is given, type DONE {n} to pay." },
  [BFK_BOT_TEXT_NOTE_DECLINED] = {
    "{other} a refusé l'échange n°{n}. Vos {amount} {currency} vous sont rendus.",
    "{other} declined exchange no. {n}. Your {amount} {currency} are given back." },
  [BFK_BOT_TEXT_NOTE_CANCELLED] = {
    "{other} a annulé l'échange n°{n}. Ne rendez pas ce service.",
    "{other} cancelled exchange no. {n}. Do not give this service." },
  [BFK_BOT_TEXT_NOTE_COMPLETED_PAYER] = {
    "Échange n°{n} terminé : {amount} {currency} payés à {other}. "
    "Donnez-lui une note de 1 à 5 : EVALUER {n} 5",
    "Exchange no. {n} completed: {amount} {currency} paid to {other}. "
    "Rate them from 1 to 5: RATE {n} 5" },
  [BFK_BOT_TEXT_NOTE_COMPLETED_PROVIDER] = {
    "Échange n°{n} terminé : vous avez reçu {amount} {currency} de {other}. "
    "Donnez-lui une note de 1 à 5 : EVALUER {n} 5",
    "Exchange no. {n} completed: you received {amount} {currency} from {other}. "
    "Rate them from 1 to 5: RATE {n} 5" },
  [BFK_BOT_TEXT_NOTE_EXPIRED_PAYER] = {
    "L'échange n°{n} avec {other} a expiré : vos {amount} {currency} vous sont rendus.",
    "Exchange no. {n} with {other} has expired: your {amount} {currency} are given back." },
  [BFK_BOT_TEXT_NOTE_EXPIRED_PROVIDER] = {
    "L'échange n°{n} avec {other} a expiré : il est annulé.",
    "Exchange no. {n} with {other} has expired: it is cancelled." },
  [BFK_BOT_TEXT_NOTE_RATED] = {
    "{other} vous a donné {stars}/5 pour l'échange n°{n}.",
    "{other} gave you {stars}/5 for exchange no. {n}." },
  [BFK_BOT_TEXT_NOTE_OP_FAILED] = {
    "Désolé, votre demande n'a pas pu être enregistrée ; rien n'a changé. "
    "Réessayez plus tard, ou tapez AGENT.",
    "Sorry, your request could not be recorded; nothing changed. "
    "Try again later, or type AGENT." },
  [BFK_BOT_TEXT_NOTE_RATE_LIMITED] = {
    "Vous envoyez beaucoup de messages. Attendez une minute, puis réessayez.",
    "You are sending many messages. Wait a minute, then try again." },
  [BFK_BOT_TEXT_NOTE_MEDIA] = {
    "Je lis seulement les messages écrits (pas les photos, vocaux ni fichiers). "
    "Tapez AIDE pour voir les commandes.",
    "I can only read written messages (no photos, voice notes or files). "
    "Type HELP to see the commands." },
  [BFK_BOT_TEXT_NOTE_STAFF_TAKEOVER] = {
    "Une personne de l'équipe Bafoka vous répond maintenant.",
    "A person from the Bafoka team is answering you now." },
  [BFK_BOT_TEXT_NOTE_STAFF_RETURNED] = {
    "La conversation avec l'équipe est terminée. Le robot Bafoka reprend : "
    "tapez AIDE pour voir les commandes.",
    "The conversation with the team is over. The Bafoka bot is back: "
    "type HELP to see the commands." },
};

typedef enum { VAR_STRING, VAR_NUMBER } VarType;

static const struct
{
  const gchar *name;
  VarType      type;
  gsize        offset;
} placeholders[] = {
  { "name", VAR_STRING, offsetof (BfkBotVars, name) },
  { "other", VAR_STRING, offsetof (BfkBotVars, other) },
  { "community", VAR_STRING, offsetof (BfkBotVars, community) },
  { "currency", VAR_STRING, offsetof (BfkBotVars, currency) },
  { "symbol", VAR_STRING, offsetof (BfkBotVars, symbol) },
  { "service", VAR_STRING, offsetof (BfkBotVars, service) },
  { "words", VAR_STRING, offsetof (BfkBotVars, words) },
  { "what", VAR_STRING, offsetof (BfkBotVars, what) },
  { "example", VAR_STRING, offsetof (BfkBotVars, example) },
  { "state", VAR_STRING, offsetof (BfkBotVars, state) },
  { "reputation", VAR_STRING, offsetof (BfkBotVars, reputation) },
  { "rating", VAR_STRING, offsetof (BfkBotVars, rating) },
  { "date", VAR_STRING, offsetof (BfkBotVars, date) },
  { "detail", VAR_STRING, offsetof (BfkBotVars, detail) },
  { "n", VAR_NUMBER, offsetof (BfkBotVars, n) },
  { "amount", VAR_NUMBER, offsetof (BfkBotVars, amount) },
  { "balance", VAR_NUMBER, offsetof (BfkBotVars, balance) },
  { "escrow", VAR_NUMBER, offsetof (BfkBotVars, escrow) },
  { "count", VAR_NUMBER, offsetof (BfkBotVars, count) },
  { "volume", VAR_NUMBER, offsetof (BfkBotVars, volume) },
  { "stars", VAR_NUMBER, offsetof (BfkBotVars, stars) },
  { "hours", VAR_NUMBER, offsetof (BfkBotVars, hours) },
  { "cap", VAR_NUMBER, offsetof (BfkBotVars, cap) },
  { "left", VAR_NUMBER, offsetof (BfkBotVars, left) },
};

static gint
placeholder_index (const gchar *name,
                   gsize        length)
{
  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (strlen (placeholders[i].name) == length
        && memcmp (placeholders[i].name, name, length) == 0)
      return (gint) i;
  return -1;
}

gboolean
bfk_bot_text_is_placeholder (const gchar *name,
                             gsize        length)
{
  return name != NULL && placeholder_index (name, length) >= 0;
}

const gchar *
bfk_bot_text_template (BfkBotLang lang,
                       BfkBotText key)
{
  if ((guint) lang >= BFK_BOT_N_LANGS || (guint) key >= BFK_BOT_N_TEXTS)
    return NULL;
  return templates[key][lang];
}

gchar *
bfk_bot_text (BfkBotLang         lang,
              BfkBotText         key,
              const BfkBotVars  *vars)
{
  static const BfkBotVars none = { 0 };
  const gchar *p = bfk_bot_text_template (lang, key);
  GString *out = g_string_new (NULL);

  if (!p)
    return g_string_free (out, FALSE);
  if (!vars)
    vars = &none;
  while (*p)
    {
      const gchar *open = strchr (p, '{');
      const gchar *close = open ? strchr (open, '}') : NULL;
      gint i = close ? placeholder_index (open + 1, (gsize) (close - open - 1)) : -1;

      if (i < 0)
        {
          /* No placeholder left, or braces that are not one: copied as they are. */
          gsize len = open ? (gsize) (open - p) + 1 : strlen (p);

          g_string_append_len (out, p, (gssize) len);
          p += len;
          continue;
        }
      g_string_append_len (out, p, open - p);
      if (placeholders[i].type == VAR_STRING)
        {
          const gchar *s = G_STRUCT_MEMBER (const gchar *, vars, placeholders[i].offset);

          g_string_append (out, s ? s : "");
        }
      else
        g_string_append_printf (out, "%" G_GUINT64_FORMAT,
                                G_STRUCT_MEMBER (guint64, vars, placeholders[i].offset));
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

const gchar *
bfk_bot_lang_to_string (BfkBotLang lang)
{
  return lang == BFK_BOT_LANG_EN ? "en" : "fr";
}

gboolean
bfk_bot_lang_from_string (const gchar *text,
                          BfkBotLang  *out)
{
  BfkBotLang lang = BFK_BOT_LANG_FR;
  gboolean ok = FALSE;

  if (text && g_ascii_strcasecmp (text, "en") == 0)
    lang = BFK_BOT_LANG_EN, ok = TRUE;
  else if (text && g_ascii_strcasecmp (text, "fr") == 0)
    ok = TRUE;
  if (out)
    *out = lang;
  return ok;
}
