/** The inference subnet: miners serve a real NLP model, validators verify and score them. */
export {};
