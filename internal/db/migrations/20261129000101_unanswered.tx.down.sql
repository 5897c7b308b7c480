DROP TABLE IF EXISTS bot_secrets;
DROP TABLE IF EXISTS unanswered_questions
