// The bank demo's scenario: the script of plugins/scenarios/examples/bank.yaml, inline so the
// preset needs no file next to the user's config, on Maria Chen's own current account (107) and card (64).
export const bankScenario = {
  "name": "bank-overdraft",
  "description": "Maria Chen's current account goes into overdraft; a suspicious card payment gets her card blocked.",
  "session": "default",
  "steps": [
    {
      "id": "intro",
      "at": "0s",
      "waypoint": "Morning",
      "narrative": "Maria Chen, a premium customer, starts the day with a healthy balance.",
      "set": {
        "entity": "finance/accounts/107",
        "changes": {
          "status": "active"
        }
      }
    },
    {
      "id": "bills",
      "at": "20s",
      "narrative": "Rent and bills go out; the balance falls (and debits rise by as much, so the account still adds up).",
      "progress": {
        "entity": "finance/accounts/107",
        "field": "balance.amount",
        "to": 25000,
        "over": "60s",
        "every": "5s",
        "easing": "ease-out",
        "with": [
          {
            "field": "debits.amount",
            "scale": -1
          }
        ]
      }
    },
    {
      "id": "low-balance",
      "after": "bills",
      "waypoint": "Low balance",
      "narrative": "The balance is below €250 — the app shows a warning.",
      "emit": {
        "type": "bank.lowBalance",
        "data": {
          "account": "107",
          "threshold": 25000
        }
      }
    },
    {
      "id": "overdraft",
      "after": "low-balance",
      "delay": "20s",
      "waypoint": "Overdraft",
      "narrative": "A large payment pushes the account into overdraft.",
      "progress": {
        "entity": "finance/accounts/107",
        "field": "balance.amount",
        "to": -42000,
        "over": "30s",
        "every": "5s",
        "with": [
          {
            "field": "debits.amount",
            "scale": -1
          }
        ]
      }
    },
    {
      "id": "risk-review",
      "after": "overdraft",
      "narrative": "The risk engine raises Maria's risk rating.",
      "set": {
        "entity": "finance/customers/42",
        "changes": {
          "riskRating": "medium"
        }
      }
    },
    {
      "id": "fraud",
      "at": "3m",
      "requires": "risk-review",
      "waypoint": "Suspicious payment",
      "narrative": "A card payment from abroad is flagged.",
      "emit": {
        "type": "bank.paymentFlagged",
        "data": {
          "card": "64",
          "amount": {
            "amount": 129900,
            "currency": "EUR"
          }
        }
      }
    },
    {
      "id": "card-blocked",
      "on": "bank.paymentFlagged",
      "delay": "5s",
      "waypoint": "Card blocked",
      "narrative": "The bank blocks the card and tells Maria in the app.",
      "set": {
        "entity": "finance/cards/64",
        "changes": {
          "status": "blocked"
        }
      }
    },
    {
      "id": "resolved",
      "after": "card-blocked",
      "delay": "30s",
      "waypoint": "Resolved",
      "narrative": "Maria confirms the payment was not hers; a new card is on its way.",
      "set": {
        "entity": "finance/customers/42",
        "changes": {
          "riskRating": "low"
        }
      }
    }
  ]
} as const;
