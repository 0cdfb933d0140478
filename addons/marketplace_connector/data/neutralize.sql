-- a neutralised copy (staging, support) never reaches a marketplace: accounts archived,
-- switched to the local sandbox, without credentials, nothing pushed nor sent automatically
UPDATE marketplace_account
   SET active = false,
       environment = 'sandbox',
       api_key = NULL,
       api_secret = NULL,
       push_stock = false,
       push_price = false,
       auto_send_edocument = false;
