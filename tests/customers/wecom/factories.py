"""Building WeCom callbacks as WeCom does: XML, encrypted and signed with the corp's crypto."""

from urllib.parse import urlencode

from wechatpy.enterprise.crypto import WeChatCrypto

# WeCom's official sample corp (its documentation and the WXBizMsgCrypt samples use these).
CORP_ID = "wx5823bf96d3bd56c7"
TOKEN = "QDG6eK"
ENCODING_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


def wecom_settings(settings) -> None:
    settings.WECOM_CORP_ID = CORP_ID
    settings.WECOM_TOKEN = TOKEN
    settings.WECOM_ENCODING_AES_KEY = ENCODING_AES_KEY


def contact_xml(*, change: str, userid: str, external_id: str, at: int, state: str = "") -> str:
    state_xml = f"<State><![CDATA[{state}]]></State>" if state else ""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_contact]]></Event>"
        f"<ChangeType><![CDATA[{change}]]></ChangeType><UserID><![CDATA[{userid}]]></UserID>"
        f"<ExternalUserID><![CDATA[{external_id}]]></ExternalUserID>{state_xml}"
        "<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>"
    )


def chat_xml(*, detail: str, chat_id: str, members: list[str], at: int) -> str:
    items = "".join(f"<Item><![CDATA[{member}]]></Item>" for member in members)
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_chat]]></Event>"
        f"<ChatId><![CDATA[{chat_id}]]></ChatId><ChangeType><![CDATA[update]]></ChangeType>"
        f"<UpdateDetail><![CDATA[{detail}]]></UpdateDetail><JoinScene>1</JoinScene><QuitScene>0</QuitScene>"
        f"<MemChangeCnt>{len(members)}</MemChangeCnt><MemChangeList>{items}</MemChangeList>"
        "<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>"
        "<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer></xml>"
    )


def signed_post(xml: str, *, nonce: str = "1372623149", timestamp: str = "1409304348", corp_id: str = CORP_ID):
    """The query string and body of WeCom's POST carrying `xml`, encrypted for `corp_id`."""
    crypto = WeChatCrypto(TOKEN, ENCODING_AES_KEY, corp_id)
    body = crypto.encrypt_message(xml, nonce, timestamp)
    signature = body.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    query = urlencode({"msg_signature": signature, "timestamp": timestamp, "nonce": nonce})
    return query, body


def post_callback(client, xml: str, **kwargs):
    query, body = signed_post(xml, **kwargs)
    return client.post(f"/wecom/callback/?{query}", data=body, content_type="text/xml")
