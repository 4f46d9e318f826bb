"""A ready SIPAS-style questionnaire (wording modelled on the Ministry of Home Affairs' SIPAS
questionnaire of Decision 1001/QĐ-BNV), in Vietnamese and English: the five elements, then some
information about the respondent (not counted in the index). Organisers create it as a draft from
the back office (``services.questionnaire_create_sipas``); the demo data publishes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from danvan.surveys.sipas import Element


@dataclass(frozen=True)
class Q:
    code: str
    kind: str
    text: str
    text_en: str
    required: bool = True
    allow_na: bool = False
    choices: tuple[tuple[str, str, str], ...] = ()
    help: str = ""
    help_en: str = ""
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class S:
    element: str
    title: str
    title_en: str
    questions: tuple[Q, ...] = field(default_factory=tuple)
    in_index: bool = True


CODE = "sipas"
TITLE = "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước"
TITLE_EN = "Survey of citizens' and organisations' satisfaction with the services of state administrative agencies"
INTRO = (
    "Nhằm nâng cao chất lượng phục vụ, Ủy ban nhân dân tỉnh tổ chức khảo sát ý kiến của người dân, "
    "tổ chức về việc giải quyết thủ tục hành chính. Xin ông/bà vui lòng cho biết mức độ hài lòng "
    "của mình đối với lần giải quyết thủ tục gần nhất. Phiếu khảo sát không ghi tên; ý kiến của "
    "ông/bà chỉ được dùng để tổng hợp, đánh giá."
)
INTRO_EN = (
    "To improve its services, the Provincial People's Committee asks citizens and organisations "
    "about the handling of administrative procedures. Please tell us how satisfied you are with "
    "your most recent procedure. The questionnaire is anonymous; your answers are used only in "
    "aggregate."
)

SECTIONS: tuple[S, ...] = (
    S(
        Element.ACCESS,
        "I. Tiếp cận dịch vụ hành chính công",
        "I. Access to public administrative services",
        (
            Q(
                "TC1",
                "scale",
                "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi, sạch sẽ, thoáng mát",
                "The waiting area at the one-stop counter has enough seats and is clean and airy",
            ),
            Q(
                "TC2",
                "scale",
                "Trang thiết bị phục vụ người dân, tổ chức (bàn viết, máy tra cứu, nước uống…) đầy đủ, dễ sử dụng",
                "Equipment for citizens (writing desks, look-up terminals, drinking water…) is sufficient and easy to use",
            ),
            Q(
                "TC3",
                "scale",
                "Thông tin về thủ tục hành chính (niêm yết tại nơi giải quyết, trên Cổng dịch vụ công) dễ tìm, dễ hiểu",
                "Information on the procedure (posted at the office, on the public service portal) is easy to find and understand",
            ),
            Q(
                "TC4",
                "scale",
                "Việc nộp hồ sơ, nhận kết quả trực tuyến hoặc qua dịch vụ bưu chính thuận tiện",
                "Submitting the dossier and receiving the result online or by post is convenient",
                allow_na=True,
            ),
        ),
    ),
    S(
        Element.PROCEDURES,
        "II. Thủ tục hành chính",
        "II. The administrative procedure",
        (
            Q(
                "TT1",
                "scale",
                "Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác",
                "The procedure is publicly posted, complete and accurate",
            ),
            Q(
                "TT2",
                "scale",
                "Thành phần hồ sơ mà ông/bà phải nộp là đúng quy định",
                "The documents you had to submit were as required by the regulations",
            ),
            Q(
                "TT3",
                "scale",
                "Phí, lệ phí mà ông/bà phải nộp là đúng quy định",
                "The fees and charges you paid were as required by the regulations",
                allow_na=True,
            ),
            Q(
                "TT4",
                "scale",
                "Thời hạn giải quyết ghi trên giấy hẹn là đúng quy định",
                "The processing time on the appointment slip was as required by the regulations",
            ),
        ),
    ),
    S(
        Element.OFFICIALS,
        "III. Công chức trực tiếp giải quyết công việc",
        "III. The officials who handled your case",
        (
            Q(
                "CC1",
                "scale",
                "Công chức có thái độ giao tiếp lịch sự, tôn trọng",
                "The officials were polite and respectful",
            ),
            Q(
                "CC2",
                "scale",
                "Công chức chú ý lắng nghe ý kiến của ông/bà",
                "The officials listened attentively to you",
            ),
            Q(
                "CC3",
                "scale",
                "Công chức trả lời, giải thích đầy đủ các ý kiến của ông/bà",
                "The officials fully answered and explained your questions",
            ),
            Q(
                "CC4",
                "scale",
                "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo, dễ hiểu",
                "The officials guided you through the forms helpfully and clearly",
            ),
            Q(
                "CC5",
                "scale",
                "Công chức tuân thủ đúng quy định, không gây phiền hà, nhũng nhiễu",
                "The officials followed the rules and caused no trouble or harassment",
            ),
        ),
    ),
    S(
        Element.RESULTS,
        "IV. Kết quả giải quyết thủ tục hành chính",
        "IV. The result",
        (
            Q(
                "KQ1",
                "scale",
                "Kết quả giải quyết đúng quy định",
                "The result complies with the regulations",
            ),
            Q(
                "KQ2",
                "scale",
                "Kết quả giải quyết có thông tin đầy đủ, chính xác",
                "The result contains complete and accurate information",
            ),
            Q(
                "KQ3",
                "scale",
                "Ông/bà nhận được kết quả đúng hẹn",
                "You received the result on the promised date",
            ),
        ),
    ),
    S(
        Element.FEEDBACK,
        "V. Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
        "V. Receiving and handling comments, complaints and recommendations",
        (
            Q(
                "PA1",
                "scale",
                "Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị (hòm thư, số điện thoại, trang web)",
                "The agency offers ways to send comments and complaints (box, phone line, website)",
                allow_na=True,
            ),
            Q(
                "PA2",
                "scale",
                "Ông/bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị",
                "It was easy for you to send a comment or complaint",
                allow_na=True,
                help="Chọn “Không áp dụng” nếu ông/bà chưa từng góp ý, phản ánh.",
                help_en="Choose “not applicable” if you have never sent a comment or complaint.",
            ),
            Q(
                "PA3",
                "scale",
                "Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị",
                "The agency took up and dealt with comments and complaints actively",
                allow_na=True,
            ),
            Q(
                "PA4",
                "scale",
                "Cơ quan thông báo kịp thời kết quả xử lý góp ý, phản ánh, kiến nghị cho ông/bà",
                "The agency told you the outcome of your comment or complaint in good time",
                allow_na=True,
            ),
        ),
    ),
    S(
        Element.CUSTOM,
        "VI. Thông tin chung và ý kiến khác",
        "VI. About you, and other comments",
        (
            Q(
                "GT",
                "single",
                "Giới tính",
                "Gender",
                required=False,
                choices=(("nam", "Nam", "Male"), ("nu", "Nữ", "Female"), ("khac", "Khác", "Other")),
            ),
            Q(
                "TUOI",
                "single",
                "Độ tuổi",
                "Age group",
                required=False,
                choices=(
                    ("duoi25", "Dưới 25 tuổi", "Under 25"),
                    ("25-40", "Từ 25 đến 40 tuổi", "25 to 40"),
                    ("41-60", "Từ 41 đến 60 tuổi", "41 to 60"),
                    ("tren60", "Trên 60 tuổi", "Over 60"),
                ),
            ),
            Q(
                "KENH",
                "multiple",
                "Ông/bà tìm hiểu thông tin về thủ tục qua những kênh nào?",
                "Where did you learn about the procedure?",
                required=False,
                choices=(
                    ("niemyet", "Niêm yết tại nơi giải quyết", "Notice board at the office"),
                    (
                        "cong",
                        "Cổng dịch vụ công, trang thông tin điện tử",
                        "Public service portal, website",
                    ),
                    ("congchuc", "Hỏi công chức", "Asked an official"),
                    ("nguoiquen", "Người quen", "Friends or family"),
                    ("khac", "Khác", "Other"),
                ),
            ),
            Q(
                "SOLAN",
                "number",
                "Ông/bà phải đi lại bao nhiêu lần để hoàn thành hồ sơ?",
                "How many times did you have to come in to complete the dossier?",
                required=False,
                min_value=0,
                max_value=20,
            ),
            Q(
                "GY",
                "text",
                "Ông/bà có góp ý gì để cơ quan phục vụ người dân, tổ chức tốt hơn?",
                "Any suggestions to help the agency serve you better?",
                required=False,
            ),
        ),
        in_index=False,
    ),
)
